#pragma once
// The send side of transport-wide congestion control for one client transport: every RTP packet
// the server sends it gets the transport's next transport-wide sequence number (the
// transport-wide-cc header extension), and its send time and size are kept here by that number
// until the client's feedback says when it arrived. A fixed ring (no allocation per packet):
// a number older than kSlots packets is forgotten. Not thread-safe: one transport, one loop.
#include <array>
#include <cstddef>
#include <cstdint>
#include <optional>

namespace aerie {

class TwccSendHistory {
 public:
  struct Sent {
    std::int64_t sendUs = 0;
    std::uint32_t bytes = 0;
  };

  // The number for a packet of `bytes` sent now, remembered with its send time.
  std::uint16_t next(std::int64_t sendUs, std::size_t bytes);
  // What was sent as `sequence` (the 16-bit number of the feedback), if it is still held and
  // was not taken before: a packet counts once, whatever feedback repeats.
  std::optional<Sent> take(std::uint16_t sequence);
  std::uint64_t sentCount() const { return next_; }

  // Two seconds of a 5 Mbit/s downlink in 1,200-byte packets.
  static constexpr std::size_t kSlots = 1024;

 private:
  struct Slot {
    std::uint64_t number = ~std::uint64_t{0};  // unwrapped; all ones: empty
    std::int64_t sendUs = 0;
    std::uint32_t bytes = 0;
  };
  std::array<Slot, kSlots> slots_{};
  std::uint64_t next_ = 0;  // unwrapped number of the next packet
};

}  // namespace aerie
