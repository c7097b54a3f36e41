// DcepMessage: RFC 8832 DATA_CHANNEL_OPEN and ACK, read as views and written into a buffer.
#include <gtest/gtest.h>

#include <array>
#include <vector>

#include "codec/DcepMessage.hpp"

namespace aerie {
namespace {

TEST(DcepMessage, OpenRoundTrip) {
  std::array<std::uint8_t, 64> buf{};
  const std::size_t n = DcepMessage::writeOpen(buf, "main", "proto");
  ASSERT_EQ(n, DcepMessage::kOpenHeader + 4 + 5);
  auto m = DcepMessage::parse(std::span(buf.data(), n));
  ASSERT_TRUE(m);
  EXPECT_EQ(m->type(), DcepMessage::Type::Open);
  EXPECT_EQ(m->label(), "main");
  EXPECT_EQ(m->protocol(), "proto");
  EXPECT_TRUE(m->ordered());
  EXPECT_EQ(m->channelType(), DcepMessage::kReliable);
}

TEST(DcepMessage, ABrowsersUnorderedOpen) {
  // Chrome's OPEN for createDataChannel('x', {ordered: false, maxRetransmits: 3}).
  const std::vector<std::uint8_t> open = {0x03, 0x81, 0x01, 0x00, 0, 0, 0, 3, 0, 1, 0, 0, 'x'};
  auto m = DcepMessage::parse(open);
  ASSERT_TRUE(m);
  EXPECT_FALSE(m->ordered());
  EXPECT_EQ(m->reliabilityParameter(), 3u);
  EXPECT_EQ(m->priority(), 256);
  EXPECT_EQ(m->label(), "x");
}

TEST(DcepMessage, AckParses) {
  std::array<std::uint8_t, 1> buf{};
  ASSERT_EQ(DcepMessage::writeAck(buf), 1u);
  auto m = DcepMessage::parse(buf);
  ASSERT_TRUE(m);
  EXPECT_EQ(m->type(), DcepMessage::Type::Ack);
}

TEST(DcepMessage, MalformedIsRefused) {
  EXPECT_FALSE(DcepMessage::parse({}));
  const std::vector<std::uint8_t> unknownType = {0x07};
  EXPECT_FALSE(DcepMessage::parse(unknownType));
  const std::vector<std::uint8_t> shortHeader = {0x03, 0x00, 0x00};
  EXPECT_FALSE(DcepMessage::parse(shortHeader));
  // A label length past the end.
  const std::vector<std::uint8_t> longLabel = {0x03, 0x00, 0, 0, 0, 0, 0, 0, 0, 9, 0, 0, 'a'};
  EXPECT_FALSE(DcepMessage::parse(longLabel));
  const std::vector<std::uint8_t> badChannelType = {0x03, 0x05, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0};
  EXPECT_FALSE(DcepMessage::parse(badChannelType));
  std::array<std::uint8_t, 4> tiny{};
  EXPECT_EQ(DcepMessage::writeOpen(tiny, "main", ""), 0u);
}

}  // namespace
}  // namespace aerie
