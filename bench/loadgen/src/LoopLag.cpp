#include "LoopLag.hpp"

#include <algorithm>
#include <chrono>

namespace loadgen {

namespace {
constexpr auto kTick = std::chrono::milliseconds(10);
}

void LoopLag::start() {
  running_ = true;
  ++generation_;
  max_ = 0;
  samples_.take();
  timer_.expires_after(kTick);
  arm();
}

void LoopLag::arm() {
  timer_.async_wait([this, gen = generation_](boost::system::error_code ec) {
    if (ec || !running_ || gen != generation_) return;
    auto late = std::chrono::steady_clock::now() - timer_.expiry();
    double ms = std::chrono::duration<double, std::milli>(late).count();
    ms = std::max(0.0, ms);
    max_ = std::max(max_, ms);
    samples_.add(ms);
    timer_.expires_after(kTick);
    arm();
  });
}

boost::json::object LoopLag::stop() {
  running_ = false;
  timer_.cancel();
  boost::json::object o;
  o["p50"] = samples_.size() ? samples_.percentile(50) : 0.0;
  o["p99"] = samples_.size() ? samples_.percentile(99) : 0.0;
  o["max"] = max_;
  samples_.take();
  return o;
}

}  // namespace loadgen
