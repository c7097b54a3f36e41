// RetransmissionBuffer: the last packets of a track by sequence number, across the wrap.
#include <gtest/gtest.h>

#include <vector>

#include "media/RetransmissionBuffer.hpp"

namespace aerie {
namespace {

std::vector<std::uint8_t> packet(std::uint16_t seq, std::size_t size) {
  std::vector<std::uint8_t> p(size, static_cast<std::uint8_t>(seq));
  return p;
}

TEST(RetransmissionBufferTest, FindsWhatIsStillThere) {
  RetransmissionBuffer b(4);
  for (std::uint16_t s = 10; s < 16; ++s) b.store(s, packet(s, 100 + s));
  EXPECT_TRUE(b.find(10).empty()) << "overwritten by 14";
  EXPECT_TRUE(b.find(11).empty());
  for (std::uint16_t s = 12; s < 16; ++s) {
    auto p = b.find(s);
    ASSERT_EQ(p.size(), 100u + s);
    EXPECT_EQ(p[0], s);
  }
  EXPECT_TRUE(b.find(16).empty()) << "never stored";
}

TEST(RetransmissionBufferTest, WrapsAroundTheSequenceSpace) {
  RetransmissionBuffer b(8);
  for (std::uint32_t s = 65530; s < 65540; ++s) b.store(static_cast<std::uint16_t>(s), packet(static_cast<std::uint16_t>(s), 50));
  EXPECT_EQ(b.find(65535).size(), 50u);
  EXPECT_EQ(b.find(3).size(), 50u);
  EXPECT_TRUE(b.find(65531).empty());
}

TEST(RetransmissionBufferTest, AnOversizedPacketIsNotKept) {
  RetransmissionBuffer b(4);
  b.store(1, packet(1, 100));
  b.store(5, packet(5, RetransmissionBuffer::kMaxPacket + 1));  // same slot as 1
  EXPECT_TRUE(b.find(1).empty());
  EXPECT_TRUE(b.find(5).empty());
}

}  // namespace
}  // namespace aerie
