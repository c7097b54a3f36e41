#pragma once
// Opus frames from a publisher's RTP packets, for the recorder: one packet carries one Opus
// packet (RFC 7587 section 4.2), so the payload is the frame. What is checked: the payload is
// not empty and not too large, and the packet is newer than the last one given out (a late or
// repeated packet would put a block out of order in the file; audio that is late is dropped).
// Not thread-safe; one per recorded audio track.
#include <cstddef>
#include <cstdint>
#include <span>

namespace aerie {

class OpusDepacketizer {
 public:
  // RFC 6716 section 3.4 (R5): a packet of 120 ms at most; 1275 bytes per frame, 48 frames.
  static constexpr std::size_t kMaxPacketBytes = 1500;

  enum class Result : std::uint8_t { Frame, Late, Invalid };
  Result push(std::uint16_t sequence, std::span<const std::uint8_t> payload);
  // Packets missing between frames given out (gaps in the sequence numbers).
  std::uint64_t lost() const { return lost_; }

 private:
  bool started_ = false;
  std::uint16_t last_ = 0;
  std::uint64_t lost_ = 0;
};

}  // namespace aerie
