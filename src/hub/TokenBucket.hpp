#pragma once
#include <cstdint>

namespace aerie {

// A classic token bucket: holds at most `burst` tokens, refills at `perSecond`.
// Time is passed in (milliseconds, monotonic) so that tests and the Hub's single clock drive it.
class TokenBucket {
 public:
  TokenBucket(double burst, double perSecond, std::int64_t nowMs);

  // Takes `cost` tokens if available. A refused take leaves the bucket as it was, so a sender
  // that slows down recovers without having to wait for its rejected messages to be paid off.
  bool take(std::int64_t nowMs, double cost = 1.0);
  // Tokens available at `nowMs` (refills first).
  double available(std::int64_t nowMs);

 private:
  void refill(std::int64_t nowMs);

  double burst_;
  double perSecond_;
  double tokens_;
  std::int64_t lastMs_;
};

}  // namespace aerie
