#pragma once
// The copies of one forwarded packet, one per subscriber, each encrypted in a slot of its own
// and then handed to the kernel together (sendmmsg): one system call for a packet's subscribers
// instead of one per subscriber. Made once per shard, on its UDP socket. Inline: it is on the
// packet path.
#include <array>
#include <boost/asio/ip/udp.hpp>
#include <cstddef>
#include <cstdint>
#include <sys/socket.h>

#include "sfu/DatagramBuffer.hpp"

namespace aerie {

struct SendBatch {
  using udp = boost::asio::ip::udp;
  static constexpr std::size_t kSlots = 64;
  using Slot = DatagramBuffer;

  explicit SendBatch(udp::socket& s) : socket(s) {}

  udp::socket& socket;
  std::array<Slot, kSlots> slots{};
  std::array<mmsghdr, kSlots> messages{};
  std::array<iovec, kSlots> vectors{};
  std::array<udp::endpoint, kSlots> to{};
  std::size_t count = 0;
  bool open = false;  // sendDatagram fills it (forwarding); otherwise it sends at once

  Slot& next() { return slots[count]; }
  bool holds(const std::uint8_t* data) const { return open && data == slots[count].data(); }
  // The datagram in the current slot goes to `endpoint`; true when the batch is full.
  bool add(std::size_t size, const udp::endpoint& endpoint) {
    to[count] = endpoint;
    vectors[count] = iovec{slots[count].data(), size};
    messages[count] = mmsghdr{};
    messages[count].msg_hdr.msg_iov = &vectors[count];
    messages[count].msg_hdr.msg_iovlen = 1;
    messages[count].msg_hdr.msg_name = to[count].data();
    messages[count].msg_hdr.msg_namelen = static_cast<socklen_t>(to[count].size());
    return ++count == kSlots;
  }
  // Sends what is held on the socket; the datagrams the kernel would not take now are dropped
  // (UDP).
  void flush() {
    const int fd = socket.native_handle();
    std::size_t sent = 0;
    while (sent < count) {
      const int n = ::sendmmsg(fd, messages.data() + sent, static_cast<unsigned>(count - sent), MSG_DONTWAIT);
      if (n <= 0) break;
      sent += static_cast<std::size_t>(n);
    }
    count = 0;
  }
};

}  // namespace aerie
