#pragma once
// The delay-based half of a send-side bandwidth estimate (draft-ietf-rmcat-gcc-02 section 5,
// the trendline filter of libwebrtc's GoogCC): packets are taken in groups sent within 5 ms of
// each other; for each group, how much longer (or shorter) it took to arrive after the previous
// one than it took to send is added up into a one-way delay estimate, smoothed, and the slope
// of that over the last kWindow groups says whether a queue is building on the path. The slope,
// scaled, is compared with an adaptive threshold: Overuse when it stays above it (a queue
// grows: send less), Underuse below its negative (a queue drains), else Normal. Pure: times are
// the sender's and the receiver's clocks as given; no allocation.
#include <array>
#include <cstddef>
#include <cstdint>

namespace aerie {

class DelayTrend {
 public:
  enum class Signal : std::uint8_t { Normal, Overuse, Underuse };

  // One packet that arrived, in the order sent: its send time (sender's clock) and arrival time
  // (receiver's clock), in µs. Returns the signal after it.
  Signal onPacket(std::int64_t sendUs, std::int64_t arrivalUs);
  Signal signal() const { return signal_; }
  double threshold() const { return threshold_; }
  double modifiedTrend() const { return modifiedTrend_; }

  static constexpr std::int64_t kGroupUs = 5000;
  static constexpr std::size_t kWindow = 20;

 private:
  struct Group {
    std::int64_t firstSendUs = -1;
    std::int64_t lastSendUs = -1;
    std::int64_t lastArrivalUs = -1;
  };
  // The finished group `current_` against `previous_`.
  void onGroup(double sendDeltaMs, double arrivalDeltaMs, double arrivalMs);
  void detect(double trend, double sendDeltaMs, double arrivalMs);
  void adaptThreshold(double modified, double nowMs);

  Group current_;
  Group previous_;
  double accumulatedMs_ = 0;
  double smoothedMs_ = 0;
  double firstArrivalMs_ = -1;
  std::array<double, kWindow> xs_{};  // arrival (ms since the first group)
  std::array<double, kWindow> ys_{};  // smoothed accumulated delay (ms)
  std::size_t points_ = 0;            // in the window, up to kWindow
  std::size_t head_ = 0;              // next slot
  std::size_t deltas_ = 0;
  double threshold_ = 12.5;
  double lastThresholdMs_ = -1;
  double overuseMs_ = -1;
  int overuseCount_ = 0;
  double previousTrend_ = 0;
  double modifiedTrend_ = 0;
  Signal signal_ = Signal::Normal;
};

}  // namespace aerie
