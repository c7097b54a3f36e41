#pragma once
// The datagrams of one UDP socket read in batches: one recvmmsg(2) fills up to kSlots buffers
// with what the kernel holds, each with its sender's address, instead of one recvfrom per
// datagram. The buffers, their iovecs and message headers are allocated once, when the batch
// is made; reading allocates nothing and takes no lock (one batch per socket, on the socket's
// loop). It does not wait: the caller waits for the socket to be readable (on its event loop)
// and then reads until receive() finds nothing (a batch short of kSlots means the queue was
// empty when it was read; more may have come while the caller handled it).
// No Asio here: it works on the socket's descriptor.
#include <cstddef>
#include <cstdint>
#include <memory>
#include <span>

#include "codec/StunMessage.hpp"

namespace aerie {

class ReceiveBatch {
 public:
  static constexpr std::size_t kSlots = 32;

  // `slotBytes`: the most one datagram may hold; a longer one is cut to it (and truncated()).
  explicit ReceiveBatch(std::size_t slotBytes);
  ~ReceiveBatch();
  ReceiveBatch(const ReceiveBatch&) = delete;
  ReceiveBatch& operator=(const ReceiveBatch&) = delete;

  // Reads what `fd` holds, up to kSlots datagrams, without waiting (MSG_DONTWAIT). Returns how
  // many were read (also size()); 0 when none was queued or the socket reported an error.
  // The previous batch's datagrams are overwritten.
  std::size_t receive(int fd);

  std::size_t size() const { return count_; }
  // Datagram `i` (< size()), in the batch's own buffer: the caller may change it in place; valid
  // until the next receive().
  std::span<std::uint8_t> datagram(std::size_t i);
  // Its sender (IPv4 in the first 4 bytes; an IPv6 socket's IPv4 peers as IPv4-mapped IPv6).
  const stun::Address& source(std::size_t i) const;
  // True when it was longer than the slot and is cut.
  bool truncated(std::size_t i) const;
  std::size_t slotBytes() const { return slotBytes_; }

 private:
  struct Headers;  // the mmsghdrs, iovecs and address storage of the slots
  std::size_t slotBytes_;
  std::size_t count_ = 0;
  std::unique_ptr<std::uint8_t[]> bytes_;
  std::unique_ptr<Headers> headers_;
};

}  // namespace aerie
