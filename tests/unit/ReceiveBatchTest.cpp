// ReceiveBatch: datagrams read with recvmmsg from real UDP sockets on loopback, each with its
// sender, in order, in buffers that stay the same from batch to batch.
#include <gtest/gtest.h>

#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <array>
#include <span>
#include <string>
#include <vector>

#include "sfu/ReceiveBatch.hpp"

namespace aerie {
namespace {

// The loopback address of `family` with `port`, and its length.
socklen_t loopback(int family, std::uint16_t port, sockaddr_storage& a) {
  a = sockaddr_storage{};
  if (family == AF_INET) {
    auto* v4 = reinterpret_cast<sockaddr_in*>(&a);
    v4->sin_family = AF_INET;
    v4->sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    v4->sin_port = htons(port);
    return sizeof(sockaddr_in);
  }
  auto* v6 = reinterpret_cast<sockaddr_in6*>(&a);
  v6->sin6_family = AF_INET6;
  v6->sin6_addr = in6addr_loopback;
  v6->sin6_port = htons(port);
  return sizeof(sockaddr_in6);
}

// A UDP socket bound to a free port on the loopback address of `family`; fd -1 if the machine
// has no such address.
struct Socket {
  int fd = -1;
  std::uint16_t port = 0;
  explicit Socket(int family = AF_INET) {
    fd = ::socket(family, SOCK_DGRAM, 0);
    if (fd < 0) return;
    sockaddr_storage a{};
    socklen_t length = loopback(family, 0, a);
    if (::bind(fd, reinterpret_cast<sockaddr*>(&a), length) != 0) {
      ::close(fd);
      fd = -1;
      return;
    }
    length = sizeof a;
    ::getsockname(fd, reinterpret_cast<sockaddr*>(&a), &length);
    port = ntohs(family == AF_INET ? reinterpret_cast<sockaddr_in*>(&a)->sin_port : reinterpret_cast<sockaddr_in6*>(&a)->sin6_port);
  }
  ~Socket() {
    if (fd >= 0) ::close(fd);
  }
  Socket(const Socket&) = delete;
  Socket& operator=(const Socket&) = delete;

  // Sends `text` to `to` on loopback: on return it is in `to`'s queue.
  void sendTo(const Socket& to, const std::string& text, int family = AF_INET) const {
    sockaddr_storage a{};
    const socklen_t length = loopback(family, to.port, a);
    ASSERT_EQ(::sendto(fd, text.data(), text.size(), 0, reinterpret_cast<sockaddr*>(&a), length),
              static_cast<ssize_t>(text.size()));
  }
};

std::string textOf(std::span<const std::uint8_t> d) { return {reinterpret_cast<const char*>(d.data()), d.size()}; }

TEST(ReceiveBatchTest, NothingQueuedReturnsAtOnce) {
  Socket s;
  ASSERT_GE(s.fd, 0);
  ReceiveBatch batch(1500);
  EXPECT_EQ(batch.receive(s.fd), 0u);
  EXPECT_EQ(batch.size(), 0u);
}

TEST(ReceiveBatchTest, ReadsEveryQueuedDatagramWithItsSender) {
  Socket server;
  Socket a;
  Socket b;
  ASSERT_GE(server.fd, 0);
  a.sendTo(server, "first from a");
  b.sendTo(server, "from b");
  a.sendTo(server, std::string(1200, 'x'));
  a.sendTo(server, "");  // an empty datagram is one too
  ReceiveBatch batch(1516);
  ASSERT_EQ(batch.receive(server.fd), 4u);
  EXPECT_EQ(textOf(batch.datagram(0)), "first from a");
  EXPECT_EQ(textOf(batch.datagram(1)), "from b");
  EXPECT_EQ(textOf(batch.datagram(2)), std::string(1200, 'x'));
  EXPECT_TRUE(batch.datagram(3).empty());
  const std::uint16_t ports[] = {a.port, b.port, a.port, a.port};
  for (std::size_t i = 0; i < 4; ++i) {
    const auto& from = batch.source(i);
    EXPECT_FALSE(from.ipv6);
    EXPECT_EQ(from.port, ports[i]) << i;
    EXPECT_EQ(from.bytes[0], 127);
    EXPECT_EQ(from.bytes[1], 0);
    EXPECT_EQ(from.bytes[2], 0);
    EXPECT_EQ(from.bytes[3], 1);
    EXPECT_FALSE(batch.truncated(i));
  }
  EXPECT_EQ(batch.receive(server.fd), 0u) << "the queue is empty now";
}

TEST(ReceiveBatchTest, MoreThanOneBatchComesInOrderInTheSameBuffers) {
  Socket server;
  Socket client;
  ASSERT_GE(server.fd, 0);
  const std::size_t total = ReceiveBatch::kSlots + 7;
  for (std::size_t i = 0; i < total; ++i) client.sendTo(server, "datagram " + std::to_string(i));
  ReceiveBatch batch(1500);
  ASSERT_EQ(batch.receive(server.fd), ReceiveBatch::kSlots) << "a full batch: there may be more";
  std::vector<const std::uint8_t*> buffers;
  for (std::size_t i = 0; i < ReceiveBatch::kSlots; ++i) {
    EXPECT_EQ(textOf(batch.datagram(i)), "datagram " + std::to_string(i));
    buffers.push_back(batch.datagram(i).data());
  }
  // The caller may work on a datagram in place (decryption does).
  batch.datagram(0)[0] = 'D';
  EXPECT_EQ(textOf(batch.datagram(0)).front(), 'D');
  ASSERT_EQ(batch.receive(server.fd), 7u) << "short of kSlots: the queue was emptied";
  for (std::size_t i = 0; i < 7; ++i) {
    EXPECT_EQ(textOf(batch.datagram(i)), "datagram " + std::to_string(ReceiveBatch::kSlots + i));
    EXPECT_EQ(batch.datagram(i).data(), buffers[i]) << "no buffer is made per batch";
    EXPECT_EQ(batch.source(i).port, client.port);
  }
  EXPECT_EQ(batch.receive(server.fd), 0u);
}

TEST(ReceiveBatchTest, ALongerDatagramIsCutToTheSlotAndSaysSo) {
  Socket server;
  Socket client;
  ASSERT_GE(server.fd, 0);
  client.sendTo(server, "0123456789abcdefXYZ");
  client.sendTo(server, "short");
  ReceiveBatch batch(16);
  ASSERT_EQ(batch.receive(server.fd), 2u);
  EXPECT_EQ(textOf(batch.datagram(0)), "0123456789abcdef");
  EXPECT_TRUE(batch.truncated(0));
  EXPECT_EQ(textOf(batch.datagram(1)), "short");
  EXPECT_FALSE(batch.truncated(1));
}

TEST(ReceiveBatchTest, IPv6SendersAsIPv6) {
  Socket server(AF_INET6);
  Socket client(AF_INET6);
  if (server.fd < 0 || client.fd < 0) GTEST_SKIP() << "no IPv6 loopback here";
  client.sendTo(server, "over ::1", AF_INET6);
  ReceiveBatch batch(1500);
  ASSERT_EQ(batch.receive(server.fd), 1u);
  EXPECT_EQ(textOf(batch.datagram(0)), "over ::1");
  const auto& from = batch.source(0);
  EXPECT_TRUE(from.ipv6);
  EXPECT_EQ(from.port, client.port);
  std::array<std::uint8_t, 16> loopback{};
  loopback[15] = 1;
  EXPECT_EQ(from.bytes, loopback);
}

TEST(ReceiveBatchTest, AClosedDescriptorReadsNothing) {
  ReceiveBatch batch(1500);
  EXPECT_EQ(batch.receive(-1), 0u);
}

}  // namespace
}  // namespace aerie
