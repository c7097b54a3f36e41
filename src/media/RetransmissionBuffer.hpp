#pragma once
// The last packets of one forwarded video track, by sequence number, for answering NACKs
// (RFC 4585 section 6.2.1) without asking the publisher again. Fixed slots allocated once when
// the track is published: storing and finding a packet allocate nothing. A slot holds the packet
// as it is forwarded (plaintext RTP), so a retransmission is encrypted per subscriber like any
// other packet.
#include <cstddef>
#include <cstdint>
#include <memory>
#include <span>

namespace aerie {

class RetransmissionBuffer {
 public:
  static constexpr std::size_t kMaxPacket = 1500;

  explicit RetransmissionBuffer(std::size_t slots);

  // Keeps `packet` (an RTP packet with sequence number `seq`); a packet over kMaxPacket is not
  // kept.
  void store(std::uint16_t seq, std::span<const std::uint8_t> packet);
  // The packet with `seq`, if it is still there; empty otherwise.
  std::span<const std::uint8_t> find(std::uint16_t seq) const;
  std::size_t slots() const { return slots_; }

 private:
  struct Slot {
    std::uint16_t seq = 0;
    std::uint16_t length = 0;  // 0: empty
  };
  std::size_t slots_;
  std::unique_ptr<Slot[]> index_;
  std::unique_ptr<std::uint8_t[]> bytes_;
};

}  // namespace aerie
