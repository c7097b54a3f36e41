#pragma once
// The last packets of one forwarded video track, by sequence number, for answering NACKs
// (RFC 4585 section 6.2.1) without asking the publisher again. Its memory is allocated once when
// the track is published: storing and finding a packet allocate nothing. It holds each packet as
// it is forwarded (plaintext RTP), so a retransmission is encrypted per subscriber like any
// other packet.
//
// Packets are kept in arrival order, the oldest giving way, in one ring of bytes (each packet
// takes its own length, not a fixed slot) under a ring of `slots` entries: it holds the last
// `slots` packets while they average at most `bytesPerSlot` (browsers send RTP packets of at
// most 1,200 bytes), fewer when they are longer. Several RTP streams of one track may share it
// (a simulcast track's layers, each with its own sequence numbers): every stream then keeps the
// same span of time, the track's last packets, whatever its rate against the others' (a
// 150 kbit/s layer sends a quarter of the packets of the 1 Mbit/s one, and smaller ones). The
// bytes are not written when the buffer is made, so a track's memory is touched as its packets
// fill it.
#include <cstddef>
#include <cstdint>
#include <memory>
#include <span>

namespace aerie {

class RetransmissionBuffer {
 public:
  static constexpr std::size_t kMaxPacket = 1500;  // a longer packet is not kept
  static constexpr std::size_t kTypicalPacket = 1200;
  static constexpr std::size_t kMaxSlots = 65535;

  // `slots` packets (1..kMaxSlots) in all, shared by `streams` (at least 1) streams, in
  // slots * bytesPerSlot bytes (at least kMaxPacket).
  explicit RetransmissionBuffer(std::size_t slots, std::size_t streams = 1, std::size_t bytesPerSlot = kTypicalPacket);

  // The slots of a track whose top stream should keep what `topSlots` keep of a plain track,
  // with `layers` simulcast layers, each below the top about half the packet rate of the one
  // above it (as browsers send 1/4, 1/2 and full size): topSlots, +1/2, +1/4, ...
  static std::size_t slotsForLayers(std::size_t topSlots, std::size_t layers);

  // Keeps `packet` (an RTP packet of stream `stream` with sequence number `seq`) in place of the
  // oldest ones; an empty packet, one over kMaxPacket or of a stream out of range is not kept.
  void store(std::uint16_t seq, std::span<const std::uint8_t> packet, std::size_t stream = 0);
  // The packet of `stream` with `seq`, if it is still there; empty otherwise.
  std::span<const std::uint8_t> find(std::uint16_t seq, std::size_t stream = 0) const;
  std::size_t slots() const { return slots_; }
  std::size_t streams() const { return streams_; }
  std::size_t capacityBytes() const { return capacity_; }

 private:
  struct Entry {
    std::uint64_t start = 0;  // where its bytes begin, counted from the first byte ever stored
    std::uint16_t seq = 0;
    std::uint16_t length = 0;  // 0: empty
    std::uint16_t stream = 0;
  };
  std::size_t slots_;
  std::size_t streams_;
  std::size_t capacity_;   // bytes
  std::size_t indexSize_;  // per stream: a power of two >= slots_ (65536 is a multiple of it)
  std::size_t next_ = 0;   // the entry the next packet takes
  std::uint64_t written_ = 0;  // bytes stored (and skipped at the ring's end) so far
  std::unique_ptr<Entry[]> entries_;
  // Per stream, seq % indexSize_ → the entry last given to that number (checked against it).
  std::unique_ptr<std::uint16_t[]> index_;
  std::unique_ptr<std::uint8_t[]> bytes_;
};

}  // namespace aerie
