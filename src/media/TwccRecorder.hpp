#pragma once
// The receive side of transport-wide congestion control for one client transport: when each
// packet with a transport-wide sequence number arrived, reported back in feedback packets
// (RtcpWriter::transportFeedback) so that the browser's send-side estimator (GoogCC) can judge
// the path. Fixed arrays, no allocation per packet. Not thread-safe: one transport, one loop.
#include <array>
#include <cstddef>
#include <cstdint>
#include <span>

#include "codec/RtcpWriter.hpp"

namespace aerie {

class TwccRecorder {
 public:
  // Packet `seq` (the transport-wide-cc header extension) arrived at `arrivalUs`.
  void record(std::uint16_t seq, std::int64_t arrivalUs);
  // Feedback for everything from the last report's end to the highest number seen, into
  // `out`; 0 when there is nothing new. Packets that arrive after being reported missing stay
  // missing (the sender has moved on).
  std::size_t feedback(std::span<std::uint8_t> out, std::uint32_t senderSsrc,
                       std::uint32_t mediaSsrc);
  bool pending() const { return highest_ >= nextBase_ && nextBase_ >= 0; }

 private:
  static constexpr std::size_t kSlots = 2048;
  std::array<std::int64_t, kSlots> arrival_{};
  std::array<std::int64_t, kSlots> seqOf_{};  // the unwrapped number a slot holds; -1 empty
  std::array<std::int64_t, RtcpWriter::kMaxFeedbackPackets> scratch_{};
  std::int64_t highest_ = -1;   // unwrapped
  std::int64_t nextBase_ = -1;  // unwrapped; the first number of the next feedback
  std::uint8_t feedbackCount_ = 0;
  bool primed_ = false;
};

}  // namespace aerie
