#include "hub/TokenBucket.hpp"

#include <algorithm>

namespace aerie {

TokenBucket::TokenBucket(double burst, double perSecond, std::int64_t nowMs)
    : burst_(std::max(burst, 0.0)),
      perSecond_(std::max(perSecond, 0.0)),
      tokens_(burst_),
      lastMs_(nowMs) {}

void TokenBucket::refill(std::int64_t nowMs) {
  // A clock that steps backwards (should not happen with a monotonic clock) must not drain the
  // bucket or overflow the arithmetic: only move forward.
  if (nowMs <= lastMs_) return;
  const double elapsedSeconds = static_cast<double>(nowMs - lastMs_) / 1000.0;
  tokens_ = std::min(burst_, tokens_ + elapsedSeconds * perSecond_);
  lastMs_ = nowMs;
}

bool TokenBucket::take(std::int64_t nowMs, double cost) {
  refill(nowMs);
  if (tokens_ < cost) return false;
  tokens_ -= cost;
  return true;
}

double TokenBucket::available(std::int64_t nowMs) {
  refill(nowMs);
  return tokens_;
}

}  // namespace aerie
