#include "sfu/ReceiveBatch.hpp"

#include <array>
#include <cstring>
#include <netinet/in.h>
#include <sys/socket.h>
#include <sys/uio.h>

namespace aerie {

struct ReceiveBatch::Headers {
  std::array<mmsghdr, kSlots> messages{};
  std::array<iovec, kSlots> vectors{};
  std::array<sockaddr_storage, kSlots> names{};
  std::array<stun::Address, kSlots> sources{};
};

namespace {

stun::Address addressOf(const sockaddr_storage& name) {
  stun::Address a;
  if (name.ss_family == AF_INET) {
    sockaddr_in v4{};
    std::memcpy(&v4, &name, sizeof v4);
    std::memcpy(a.bytes.data(), &v4.sin_addr, 4);
    a.port = ntohs(v4.sin_port);
  } else if (name.ss_family == AF_INET6) {
    sockaddr_in6 v6{};
    std::memcpy(&v6, &name, sizeof v6);
    a.ipv6 = true;
    std::memcpy(a.bytes.data(), &v6.sin6_addr, 16);
    a.port = ntohs(v6.sin6_port);
  }
  return a;
}

}  // namespace

ReceiveBatch::ReceiveBatch(std::size_t slotBytes)
    : slotBytes_(slotBytes == 0 ? 1 : slotBytes),
      bytes_(std::make_unique<std::uint8_t[]>(kSlots * slotBytes_)),
      headers_(std::make_unique<Headers>()) {
  auto& h = *headers_;
  for (std::size_t i = 0; i < kSlots; ++i) {
    h.vectors[i] = iovec{bytes_.get() + i * slotBytes_, slotBytes_};
    h.messages[i].msg_hdr.msg_iov = &h.vectors[i];
    h.messages[i].msg_hdr.msg_iovlen = 1;
    h.messages[i].msg_hdr.msg_name = &h.names[i];
    h.messages[i].msg_hdr.msg_namelen = sizeof(sockaddr_storage);
  }
}

ReceiveBatch::~ReceiveBatch() = default;

std::size_t ReceiveBatch::receive(int fd) {
  auto& h = *headers_;
  const int n = ::recvmmsg(fd, h.messages.data(), static_cast<unsigned>(kSlots), MSG_DONTWAIT, nullptr);
  count_ = n > 0 ? static_cast<std::size_t>(n) : 0;
  for (std::size_t i = 0; i < count_; ++i) {
    h.sources[i] = addressOf(h.names[i]);
    // The kernel wrote the name's length (and the length and flags, which it writes anew each
    // time): the room for the next sender's name is set back.
    h.messages[i].msg_hdr.msg_namelen = sizeof(sockaddr_storage);
  }
  return count_;
}

std::span<std::uint8_t> ReceiveBatch::datagram(std::size_t i) {
  return {bytes_.get() + i * slotBytes_, headers_->messages[i].msg_len};
}

const stun::Address& ReceiveBatch::source(std::size_t i) const { return headers_->sources[i]; }

bool ReceiveBatch::truncated(std::size_t i) const { return (headers_->messages[i].msg_hdr.msg_flags & MSG_TRUNC) != 0; }

}  // namespace aerie
