// RetransmissionBuffer: the last packets of a track by sequence number, across the wrap; the
// layers of a simulcast track in one buffer, each keeping the same span of time.
#include <gtest/gtest.h>

#include <algorithm>
#include <array>
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

TEST(RetransmissionBufferTest, AnOversizedPacketIsNotKeptAndTakesNoSlot) {
  RetransmissionBuffer b(4);
  b.store(1, packet(1, 100));
  b.store(5, packet(5, RetransmissionBuffer::kMaxPacket + 1));
  b.store(6, {});
  EXPECT_TRUE(b.find(5).empty());
  EXPECT_TRUE(b.find(6).empty());
  EXPECT_EQ(b.find(1).size(), 100u);
  for (std::uint16_t s = 2; s < 5; ++s) b.store(s, packet(s, 10));
  EXPECT_EQ(b.find(1).size(), 100u) << "still one of the last four kept";
}

TEST(RetransmissionBufferTest, PacketsTakeTheirLengthAndLongerOnesLeaveRoomForFewer) {
  RetransmissionBuffer b(256);
  EXPECT_EQ(b.capacityBytes(), 256u * RetransmissionBuffer::kTypicalPacket) << "not 256 slots of kMaxPacket";
  RetransmissionBuffer fits(4, 1, 1000);
  for (std::uint16_t s = 1; s <= 4; ++s) fits.store(s, packet(s, 1000));
  for (std::uint16_t s = 1; s <= 4; ++s) EXPECT_EQ(fits.find(s).size(), 1000u) << s;
  // Three of 1,400 bytes in 4,000: the third starts the ring over and takes the first's place.
  RetransmissionBuffer longer(4, 1, 1000);
  for (std::uint16_t s = 1; s <= 3; ++s) longer.store(s, packet(s, 1400));
  EXPECT_TRUE(longer.find(1).empty());
  ASSERT_EQ(longer.find(2).size(), 1400u);
  ASSERT_EQ(longer.find(3).size(), 1400u);
  EXPECT_EQ(longer.find(2)[0], 2);
  EXPECT_EQ(longer.find(3)[1399], 3);
  // Small ones after it: the ring holds the last four again.
  for (std::uint16_t s = 4; s <= 7; ++s) longer.store(s, packet(s, 100));
  EXPECT_TRUE(longer.find(3).empty()) << "four newer entries";
  for (std::uint16_t s = 4; s <= 7; ++s) EXPECT_EQ(longer.find(s)[99], s);
  RetransmissionBuffer tiny(1, 1, 10);
  EXPECT_EQ(tiny.capacityBytes(), RetransmissionBuffer::kMaxPacket) << "room for any packet it keeps";
  tiny.store(9, packet(9, RetransmissionBuffer::kMaxPacket));
  EXPECT_EQ(tiny.find(9).size(), RetransmissionBuffer::kMaxPacket);
}

TEST(RetransmissionBufferTest, AResentNumberIsFoundAsItsLatestCopy) {
  RetransmissionBuffer b(4);
  b.store(7, packet(7, 20));
  b.store(7, packet(7, 30));  // the publisher's retransmission of 7, unwrapped
  EXPECT_EQ(b.find(7).size(), 30u);
}

TEST(RetransmissionBufferTest, SlotsForLayersAddHalfForEachLayerBelow) {
  EXPECT_EQ(RetransmissionBuffer::slotsForLayers(256, 1), 256u);
  EXPECT_EQ(RetransmissionBuffer::slotsForLayers(256, 0), 256u);
  EXPECT_EQ(RetransmissionBuffer::slotsForLayers(256, 2), 384u);
  EXPECT_EQ(RetransmissionBuffer::slotsForLayers(256, 3), 448u);
  EXPECT_LT(RetransmissionBuffer::slotsForLayers(256, 3), 3u * 256u) << "less than a buffer per layer";
}

TEST(RetransmissionBufferTest, LayersShareTheSlotsWithoutMixingTheirNumbers) {
  RetransmissionBuffer b(8, 3);
  EXPECT_EQ(b.streams(), 3u);
  b.store(100, packet(1, 11), 0);
  b.store(100, packet(2, 22), 1);
  b.store(100, packet(3, 33), 2);
  EXPECT_EQ(b.find(100, 0).size(), 11u);
  EXPECT_EQ(b.find(100, 1).size(), 22u);
  EXPECT_EQ(b.find(100, 2).size(), 33u);
  EXPECT_EQ(b.find(100, 2)[0], 3);
  EXPECT_TRUE(b.find(101, 1).empty());
  EXPECT_TRUE(b.find(100, 3).empty()) << "no such layer";
  b.store(101, packet(4, 44), 3);
  EXPECT_TRUE(b.find(101, 3).empty());
  // Eight more of layer 2 push the three out.
  for (std::uint16_t s = 0; s < 8; ++s) b.store(static_cast<std::uint16_t>(200 + s), packet(s, 50), 2);
  EXPECT_TRUE(b.find(100, 0).empty());
  EXPECT_TRUE(b.find(100, 1).empty());
  EXPECT_TRUE(b.find(100, 2).empty());
  EXPECT_EQ(b.find(207, 2).size(), 50u);
}

// Ten seconds of a simulcast track as browsers send it: q, h and f at about 30, 60 and 120
// packets a second, each from its own (wrapping) sequence numbers. Every layer can be resent
// as far back as the others, and as far as a plain track of f's rate in 256 slots.
TEST(RetransmissionBufferTest, EveryLayerKeepsAboutTheSameSpanOfTime) {
  constexpr std::size_t kLayers = 3;
  const std::array<int, kLayers> perSecond = {30, 60, 120};
  RetransmissionBuffer layered(RetransmissionBuffer::slotsForLayers(256, kLayers), kLayers);
  RetransmissionBuffer plain(256);
  std::array<std::uint16_t, kLayers> next = {65000, 65300, 65500};
  std::array<std::vector<std::pair<std::uint16_t, int>>, kLayers> sent;  // (seq, ms)
  std::uint16_t plainSeq = 65400;
  std::vector<std::pair<std::uint16_t, int>> plainSent;
  for (int ms = 0; ms < 10000; ++ms) {
    for (std::size_t l = 0; l < kLayers; ++l) {
      // perSecond[l] packets a second, spread evenly.
      if ((ms * perSecond[l]) / 1000 == ((ms + 1) * perSecond[l]) / 1000) continue;
      layered.store(next[l], packet(next[l], 200 + 300 * l), l);
      sent[l].emplace_back(next[l], ms);
      ++next[l];
      if (l == kLayers - 1) {
        plain.store(plainSeq, packet(plainSeq, 1200));
        plainSent.emplace_back(plainSeq, ms);
        ++plainSeq;
      }
    }
  }
  // How far back (ms before the end) each still has every packet.
  auto span = [](const std::vector<std::pair<std::uint16_t, int>>& list, auto&& has) {
    int oldest = 10000;
    for (auto it = list.rbegin(); it != list.rend() && has(it->first); ++it) oldest = it->second;
    return 10000 - oldest;
  };
  const int plainSpan = span(plainSent, [&](std::uint16_t s) { return !plain.find(s).empty(); });
  EXPECT_GT(plainSpan, 2000);
  for (std::size_t l = 0; l < kLayers; ++l) {
    const int layerSpan = span(sent[l], [&](std::uint16_t s) { return !layered.find(s, l).empty(); });
    EXPECT_NEAR(layerSpan, plainSpan, 100) << "layer " << l;
    EXPECT_EQ(layered.find(sent[l].back().first, l).size(), 200u + 300u * l);
  }
}

}  // namespace
}  // namespace aerie
