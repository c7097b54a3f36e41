#pragma once
// The send-side bandwidth estimate of one subscriber transport: how many bit/s the server may
// send it. Fed with what the subscriber's transport-cc feedback says of each packet (sent when,
// how big, arrived when or lost), it keeps two estimates and gives the lower:
// - delay-based (draft-ietf-rmcat-gcc-02 section 5): a DelayTrend over the one-way delay
//   gradient; on Overuse the estimate falls to 0.85 × what arrived over the last second (the
//   acknowledged rate), on Underuse it holds, on Normal it rises: by kIncreasePerSecond while
//   far from the rate of the last overuse, by about a packet per 200 ms near it;
// - loss-based (section 6): over each 200 ms with 20 packets or more, loss above 10 % cuts it to
//   the acknowledged rate × (1 - loss/2), loss below 2 % lets it rise by kIncreasePerSecond.
// A REMB from the subscriber (goog-remb) caps both; a subscriber without transport-cc has only
// that. The estimate rises without proof beyond what is sent (no padding probes): a higher
// simulcast layer is tried once the estimate has stayed above its rate (LayerAllocator), and
// the delay and loss its extra bitrate causes bring the estimate down again. Pure: the clock is
// passed in; no allocation.
#include <cstdint>

#include "sfu/BitrateWindow.hpp"
#include "sfu/DelayTrend.hpp"

namespace aerie {

class BandwidthEstimator {
 public:
  // The estimate starts at `startBps` and never goes above `maxBps` or below kMinBps.
  BandwidthEstimator(std::uint64_t startBps, std::uint64_t maxBps);

  // One packet of a feedback, in the order sent: its send time and size, and its arrival (µs, in
  // the subscriber's clock) or that it was lost.
  void onPacket(std::int64_t sendUs, std::uint32_t bytes, bool received, std::int64_t arrivalUs);
  // The end of one feedback packet, read at `nowUs` (the server's clock).
  void onFeedback(std::int64_t nowUs);
  // A REMB from the subscriber.
  void onRemb(std::uint64_t bps, std::int64_t nowUs);

  std::uint64_t estimate() const;
  std::uint64_t delayBased() const { return delayBps_; }
  std::uint64_t lossBased() const { return lossBps_; }
  // What arrived at the subscriber over the last second, by its feedback.
  std::uint64_t acknowledged() const { return acked_; }
  // The estimate follows feedback or a REMB that came within kStaleUs of `nowUs`.
  bool current(std::int64_t nowUs) const;
  DelayTrend::Signal signal() const { return trend_.signal(); }

  static constexpr std::uint64_t kMinBps = 30000;
  static constexpr double kIncreasePerSecond = 1.25;
  static constexpr double kDecrease = 0.85;
  static constexpr std::int64_t kStaleUs = 3000000;

 private:
  void updateDelayBased(std::int64_t nowUs);
  void updateLossBased(std::int64_t nowUs);
  std::uint64_t clamp(double bps) const;

  std::uint64_t maxBps_;
  std::uint64_t delayBps_;
  std::uint64_t lossBps_;
  std::uint64_t rembBps_ = 0;
  std::int64_t rembAtUs_ = -1;
  std::int64_t feedbackAtUs_ = -1;
  DelayTrend trend_;
  BitrateWindow arrived_{100000};  // by arrival time: 1 s
  std::int64_t lastArrivalUs_ = -1;
  std::uint64_t acked_ = 0;
  // Delay-based rate control.
  std::int64_t lastDelayUpdateUs_ = -1;
  std::int64_t lastDecreaseUs_ = -1;
  double overuseBps_ = -1;  // the acknowledged rate at the last overuse (a running mean); -1: none
  bool holding_ = false;    // after a decrease or on Underuse, until Normal comes back
  // Loss-based.
  std::uint32_t lost_ = 0;
  std::uint32_t counted_ = 0;
  std::int64_t lossPeriodStartUs_ = -1;
  std::int64_t lastLossUpdateUs_ = -1;
  std::int64_t lastLossDecreaseUs_ = -1;
};

}  // namespace aerie
