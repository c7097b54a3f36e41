#pragma once
// The abs-send-time RTP header extension (http://www.webrtc.org/experiments/rtp-hdrext/
// abs-send-time): the send time in 24 bits, seconds in 6.18 fixed point (a tick is 1/262,144 s,
// 3.8 µs), wrapping every 64 s. The bot's publishers stamp every packet with it, from the
// run's monotonic clock, and the SFU passes the element through untouched (it accepts the
// extension in its answer and rewrites only SSRC, sequence number, timestamp and the VP8
// picture numbering of a simulcast layer), so a subscriber can find the packet's send time
// even where the SFU renumbered it. One stamper per publisher: two packets sent within one tick
// get successive stamps (the second a tick ahead), so that each of a publisher's packets carries
// a stamp of its own, which SendTimes keys the exact send time by.
#include <chrono>
#include <cstdint>
#include <optional>
#include <span>

namespace aerie::bot {

class AbsSendTime {
 public:
  using Clock = std::chrono::steady_clock;
  static constexpr std::size_t kSize = 3;
  static constexpr std::uint32_t kMask = 0xFFFFFF;
  static constexpr std::uint64_t kTicksPerSecond = 1u << 18;

  // Ticks since the run's epoch, unwrapped.
  static std::uint64_t ticks(Clock::duration sinceEpoch);
  // The next stamp of this publisher at `sinceEpoch`: its ticks, or one past the last stamp.
  std::uint32_t next(Clock::duration sinceEpoch);

  static void write(std::uint8_t* out, std::uint32_t stamp);
  // The stamp of an extension element's value; nullopt if it is not 3 bytes.
  static std::optional<std::uint32_t> read(std::span<const std::uint8_t> value);

 private:
  std::uint64_t last_ = 0;
  bool any_ = false;
};

}  // namespace aerie::bot
