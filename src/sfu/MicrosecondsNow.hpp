#pragma once
// The steady clock in microseconds, the media plane's time for arrivals, send times and the
// bandwidth estimators.
#include <chrono>
#include <cstdint>

namespace aerie {

inline std::int64_t microsecondsNow() {
  return std::chrono::duration_cast<std::chrono::microseconds>(std::chrono::steady_clock::now().time_since_epoch()).count();
}

}  // namespace aerie
