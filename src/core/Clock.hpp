#pragma once
#include <chrono>
#include <cstdint>

namespace aerie {

// Wall-clock milliseconds since the epoch: credentials carry wall-clock times.
inline std::int64_t nowMs() {
  return std::chrono::duration_cast<std::chrono::milliseconds>(
             std::chrono::system_clock::now().time_since_epoch())
      .count();
}

}  // namespace aerie
