#include "sfu/BandwidthEstimator.hpp"

#include <algorithm>
#include <cmath>

namespace aerie {

namespace {

constexpr std::int64_t kDecreaseGapUs = 300000;     // between two cuts (about a round trip and more)
constexpr std::int64_t kLossPeriodUs = 200000;
constexpr std::uint32_t kLossPeriodPackets = 20;
constexpr double kHighLoss = 0.10;
constexpr double kLowLoss = 0.02;
// Near the rate of the last overuse the delay-based estimate rises by this much per second
// (about one 1,200-byte packet per 200 ms), not by a factor.
constexpr double kAdditivePerSecond = 48000;

double seconds(std::int64_t us) { return static_cast<double>(std::clamp<std::int64_t>(us, 0, 1000000)) / 1e6; }

}  // namespace

BandwidthEstimator::BandwidthEstimator(std::uint64_t startBps, std::uint64_t maxBps)
    : maxBps_(std::max(maxBps, kMinBps)), delayBps_(std::clamp(startBps, kMinBps, maxBps_)), lossBps_(delayBps_) {}

std::uint64_t BandwidthEstimator::clamp(double bps) const {
  if (!(bps > static_cast<double>(kMinBps))) return kMinBps;
  if (bps > static_cast<double>(maxBps_)) return maxBps_;
  return static_cast<std::uint64_t>(bps);
}

void BandwidthEstimator::onPacket(std::int64_t sendUs, std::uint32_t bytes, bool received, std::int64_t arrivalUs) {
  ++counted_;
  if (!received) {
    ++lost_;
    return;
  }
  trend_.onPacket(sendUs, arrivalUs);
  arrived_.add(arrivalUs, bytes);
  lastArrivalUs_ = std::max(lastArrivalUs_, arrivalUs);
}

void BandwidthEstimator::onFeedback(std::int64_t nowUs) {
  feedbackAtUs_ = nowUs;
  if (lastArrivalUs_ >= 0) acked_ = arrived_.bps(lastArrivalUs_);
  updateDelayBased(nowUs);
  updateLossBased(nowUs);
}

void BandwidthEstimator::updateDelayBased(std::int64_t nowUs) {
  const double dt = lastDelayUpdateUs_ < 0 ? 0.0 : seconds(nowUs - lastDelayUpdateUs_);
  lastDelayUpdateUs_ = nowUs;
  switch (trend_.signal()) {
    case DelayTrend::Signal::Overuse: {
      if (holding_ && nowUs - lastDecreaseUs_ < kDecreaseGapUs) return;
      const double base = acked_ > 0 ? static_cast<double>(acked_) : static_cast<double>(delayBps_);
      delayBps_ = std::min(delayBps_, clamp(kDecrease * base));
      const auto ackedNow = static_cast<double>(acked_);
      if (acked_ > 0) {
        if (overuseBps_ < 0 || std::fabs(ackedNow - overuseBps_) > 0.3 * overuseBps_) {
          overuseBps_ = ackedNow;
        } else {
          overuseBps_ = 0.8 * overuseBps_ + 0.2 * ackedNow;
        }
      }
      holding_ = true;
      lastDecreaseUs_ = nowUs;
      return;
    }
    case DelayTrend::Signal::Underuse:
      holding_ = true;  // a queue drains: let it, at the rate it drains at
      return;
    case DelayTrend::Signal::Normal:
      break;
  }
  if (holding_) {
    holding_ = false;
    return;  // the next feedback that finds the path normal starts the increase
  }
  auto bps = static_cast<double>(delayBps_);
  if (overuseBps_ > 0 && bps > 1.5 * overuseBps_) overuseBps_ = -1;  // the path has changed
  if (overuseBps_ > 0) {
    bps += kAdditivePerSecond * dt;
  } else {
    bps *= std::pow(kIncreasePerSecond, dt);
  }
  delayBps_ = clamp(bps);
}

void BandwidthEstimator::updateLossBased(std::int64_t nowUs) {
  if (lossPeriodStartUs_ < 0) lossPeriodStartUs_ = nowUs;
  if (counted_ < kLossPeriodPackets || nowUs - lossPeriodStartUs_ < kLossPeriodUs) return;
  const double loss = static_cast<double>(lost_) / static_cast<double>(counted_);
  lost_ = 0;
  counted_ = 0;
  lossPeriodStartUs_ = nowUs;
  const double dt = lastLossUpdateUs_ < 0 ? 0.0 : seconds(nowUs - lastLossUpdateUs_);
  lastLossUpdateUs_ = nowUs;
  if (loss > kHighLoss) {
    if (lastLossDecreaseUs_ >= 0 && nowUs - lastLossDecreaseUs_ < kDecreaseGapUs) return;
    const std::uint64_t base = acked_ > 0 ? std::min(lossBps_, acked_) : lossBps_;
    lossBps_ = clamp(static_cast<double>(base) * (1 - 0.5 * loss));
    lastLossDecreaseUs_ = nowUs;
  } else if (loss < kLowLoss) {
    lossBps_ = clamp(static_cast<double>(lossBps_) * std::pow(kIncreasePerSecond, dt));
  }
}

void BandwidthEstimator::onRemb(std::uint64_t bps, std::int64_t nowUs) {
  rembBps_ = bps;
  rembAtUs_ = nowUs;
}

std::uint64_t BandwidthEstimator::estimate() const {
  std::uint64_t e = std::min(delayBps_, lossBps_);
  if (rembAtUs_ >= 0) e = std::min(e, rembBps_);
  return std::clamp(e, kMinBps, maxBps_);
}

bool BandwidthEstimator::current(std::int64_t nowUs) const {
  return (feedbackAtUs_ >= 0 && nowUs - feedbackAtUs_ < kStaleUs) || (rembAtUs_ >= 0 && nowUs - rembAtUs_ < kStaleUs);
}

}  // namespace aerie
