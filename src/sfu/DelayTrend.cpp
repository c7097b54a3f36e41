#include "sfu/DelayTrend.hpp"

#include <algorithm>
#include <cmath>

namespace aerie {

namespace {

constexpr double kSmoothing = 0.9;
constexpr double kThresholdGain = 4.0;
constexpr std::size_t kMaxDeltasCounted = 60;
constexpr double kOveruseTimeMs = 10.0;
constexpr double kThresholdUp = 0.0087;    // per ms, while the trend is above the threshold
constexpr double kThresholdDown = 0.039;   // per ms, while below
constexpr double kMinThreshold = 6.0;
constexpr double kMaxThreshold = 600.0;

}  // namespace

DelayTrend::Signal DelayTrend::onPacket(std::int64_t sendUs, std::int64_t arrivalUs) {
  if (current_.firstSendUs < 0) {
    current_ = Group{sendUs, sendUs, arrivalUs};
    return signal_;
  }
  if (sendUs < current_.firstSendUs) return signal_;  // reordered into an older group
  if (sendUs - current_.firstSendUs <= kGroupUs) {
    current_.lastSendUs = std::max(current_.lastSendUs, sendUs);
    current_.lastArrivalUs = std::max(current_.lastArrivalUs, arrivalUs);
    return signal_;
  }
  // A new group starts: the one just finished is measured against the one before.
  if (previous_.firstSendUs >= 0) {
    const double sendDeltaMs = static_cast<double>(current_.lastSendUs - previous_.lastSendUs) / 1000.0;
    const double arrivalDeltaMs = static_cast<double>(current_.lastArrivalUs - previous_.lastArrivalUs) / 1000.0;
    onGroup(sendDeltaMs, arrivalDeltaMs, static_cast<double>(current_.lastArrivalUs) / 1000.0);
  }
  previous_ = current_;
  current_ = Group{sendUs, sendUs, arrivalUs};
  return signal_;
}

void DelayTrend::onGroup(double sendDeltaMs, double arrivalDeltaMs, double arrivalMs) {
  if (firstArrivalMs_ < 0) firstArrivalMs_ = arrivalMs;
  const double delta = arrivalDeltaMs - sendDeltaMs;
  deltas_ = std::min<std::size_t>(deltas_ + 1, 1000);
  accumulatedMs_ += delta;
  smoothedMs_ = kSmoothing * smoothedMs_ + (1 - kSmoothing) * accumulatedMs_;
  xs_[head_] = arrivalMs - firstArrivalMs_;
  ys_[head_] = smoothedMs_;
  head_ = (head_ + 1) % kWindow;
  points_ = std::min(points_ + 1, kWindow);
  double trend = previousTrend_;
  if (points_ == kWindow) {
    // Least squares slope of the delay over arrival time.
    double meanX = 0;
    double meanY = 0;
    for (std::size_t i = 0; i < kWindow; ++i) {
      meanX += xs_[i];
      meanY += ys_[i];
    }
    meanX /= kWindow;
    meanY /= kWindow;
    double num = 0;
    double den = 0;
    for (std::size_t i = 0; i < kWindow; ++i) {
      num += (xs_[i] - meanX) * (ys_[i] - meanY);
      den += (xs_[i] - meanX) * (xs_[i] - meanX);
    }
    if (den != 0) trend = num / den;
  }
  detect(trend, sendDeltaMs, arrivalMs);
}

void DelayTrend::detect(double trend, double sendDeltaMs, double arrivalMs) {
  if (deltas_ < 2) {
    signal_ = Signal::Normal;
    return;
  }
  const double modified = static_cast<double>(std::min(deltas_, kMaxDeltasCounted)) * trend * kThresholdGain;
  modifiedTrend_ = modified;
  if (modified > threshold_) {
    overuseMs_ = overuseMs_ < 0 ? sendDeltaMs / 2 : overuseMs_ + sendDeltaMs;
    ++overuseCount_;
    if (overuseMs_ > kOveruseTimeMs && overuseCount_ > 1 && trend >= previousTrend_) {
      overuseMs_ = 0;
      overuseCount_ = 0;
      signal_ = Signal::Overuse;
    }
  } else if (modified < -threshold_) {
    overuseMs_ = -1;
    overuseCount_ = 0;
    signal_ = Signal::Underuse;
  } else {
    overuseMs_ = -1;
    overuseCount_ = 0;
    signal_ = Signal::Normal;
  }
  previousTrend_ = trend;
  adaptThreshold(modified, arrivalMs);
}

void DelayTrend::adaptThreshold(double modified, double nowMs) {
  if (lastThresholdMs_ < 0) lastThresholdMs_ = nowMs;
  const double magnitude = std::fabs(modified);
  // A spike far above the threshold (a key frame, a route change) does not move it.
  if (magnitude > threshold_ + 15.0) {
    lastThresholdMs_ = nowMs;
    return;
  }
  const double k = magnitude < threshold_ ? kThresholdDown : kThresholdUp;
  const double elapsed = std::min(nowMs - lastThresholdMs_, 100.0);
  threshold_ = std::clamp(threshold_ + k * (magnitude - threshold_) * elapsed, kMinThreshold, kMaxThreshold);
  lastThresholdMs_ = nowMs;
}

}  // namespace aerie
