#include "record/Vp8FrameAssembler.hpp"

#include <gtest/gtest.h>

#include "RecordTestPackets.hpp"
#include "record/OpusDepacketizer.hpp"

namespace aerie {
namespace {

using test::vp8Frame;
using R = Vp8FrameAssembler::Result;

R push(Vp8FrameAssembler& a, const test::Vp8Packet& p) { return a.push(p.sequence, p.timestamp, p.marker, p.payload); }

TEST(Vp8FrameAssemblerTest, AssemblesAKeyFrameWithItsSize) {
  Vp8FrameAssembler a;
  auto packets = vp8Frame(100, 9000, true, 3, 320, 240);
  EXPECT_EQ(push(a, packets[0]), R::Partial);
  EXPECT_EQ(push(a, packets[1]), R::Partial);
  ASSERT_EQ(push(a, packets[2]), R::Frame);
  const auto& f = a.frame();
  EXPECT_TRUE(f.keyframe);
  EXPECT_EQ(f.width, 320);
  EXPECT_EQ(f.height, 240);
  EXPECT_EQ(f.timestamp, 9000u);
  EXPECT_FALSE(f.afterLoss);
  ASSERT_EQ(f.data.size(), 300u);  // the descriptors are gone
  EXPECT_EQ(f.data[3], 0x9d);
  EXPECT_EQ(f.data[100], 0x41);
  EXPECT_EQ(f.data[200], 0x42);
}

TEST(Vp8FrameAssemblerTest, ReorderedPacketsMakeTheSameFrame) {
  Vp8FrameAssembler a;
  auto packets = vp8Frame(65534, 1, true, 4);  // across the sequence number wrap
  EXPECT_EQ(push(a, packets[2]), R::Partial);
  EXPECT_EQ(push(a, packets[3]), R::Partial);
  EXPECT_EQ(push(a, packets[0]), R::Partial);
  ASSERT_EQ(push(a, packets[1]), R::Frame);
  EXPECT_EQ(a.frame().data.size(), 400u);
  EXPECT_EQ(a.frame().data[100], 0x41);
  EXPECT_EQ(a.frame().data[300], 0x43);
  // The next frame, its packets crossed with a late one of the first: still in order.
  auto next = vp8Frame(2, 3001, false, 2);
  EXPECT_EQ(push(a, next[1]), R::Partial);
  EXPECT_EQ(push(a, packets[3]), R::Late);
  ASSERT_EQ(push(a, next[0]), R::Frame);
  EXPECT_FALSE(a.frame().keyframe);
  EXPECT_FALSE(a.frame().afterLoss);
}

TEST(Vp8FrameAssemblerTest, AFrameWithALostPacketIsDroppedAndTheNextSaysSo) {
  Vp8FrameAssembler a;
  for (const auto& p : vp8Frame(10, 0, true, 2)) push(a, p);
  auto lossy = vp8Frame(12, 3000, false, 3);
  EXPECT_EQ(push(a, lossy[0]), R::Partial);
  EXPECT_EQ(push(a, lossy[2]), R::Partial);  // lossy[1] never comes
  auto next = vp8Frame(15, 6000, false, 2);
  EXPECT_EQ(push(a, next[0]), R::Partial);
  ASSERT_EQ(push(a, next[1]), R::Frame);
  EXPECT_EQ(a.frame().timestamp, 6000u);
  EXPECT_TRUE(a.frame().afterLoss);
  EXPECT_EQ(a.dropped(), 1u);
  // The lost packet arriving now is too late to help.
  EXPECT_EQ(push(a, lossy[1]), R::Late);
}

TEST(Vp8FrameAssemblerTest, AFrameNeedsItsStartAndItsMarker) {
  Vp8FrameAssembler a;
  auto packets = vp8Frame(0, 0, true, 2);
  packets[0].payload[0] = 0x80;  // no S bit: no start of partition 0
  push(a, packets[0]);
  EXPECT_EQ(push(a, packets[1]), R::Partial);
  auto open = vp8Frame(5, 100, true, 2);
  open[1].marker = false;
  push(a, open[0]);
  EXPECT_EQ(push(a, open[1]), R::Partial);
}

TEST(Vp8FrameAssemblerTest, RefusesWhatIsNotVp8) {
  Vp8FrameAssembler a;
  const std::uint8_t empty[] = {0x90};
  EXPECT_EQ(a.push(1, 1, true, empty), R::Invalid);
  const std::uint8_t truncated[] = {0x90, 0x80, 0x80};  // PictureID's second byte missing
  EXPECT_EQ(a.push(1, 1, true, truncated), R::Invalid);
  std::vector<std::uint8_t> huge(Vp8FrameAssembler::kMaxPacketBytes + 10, 0);
  huge[0] = 0x10;
  EXPECT_EQ(a.push(1, 1, true, huge), R::Invalid);
}

TEST(Vp8FrameAssemblerTest, AFrameOverTheLimitIsDropped) {
  Vp8FrameAssembler a;
  const std::size_t count = Vp8FrameAssembler::kMaxFrameBytes / 1400 + 2;
  auto packets = vp8Frame(0, 0, true, count, 640, 480, 1400);
  ASSERT_LT(count, Vp8FrameAssembler::kWindow);
  R last = R::Partial;
  for (const auto& p : packets) last = push(a, p);
  EXPECT_EQ(last, R::Invalid);
  EXPECT_EQ(a.dropped(), 1u);
  auto next = vp8Frame(static_cast<std::uint16_t>(count), 3000, false, 1);
  ASSERT_EQ(push(a, next[0]), R::Frame);
  EXPECT_TRUE(a.frame().afterLoss);
}

TEST(OpusDepacketizerTest, OnePacketIsOneFrameInOrder) {
  OpusDepacketizer d;
  const std::uint8_t frame[] = {0xFC, 1, 2, 3};
  EXPECT_EQ(d.push(65535, frame), OpusDepacketizer::Result::Frame);
  EXPECT_EQ(d.push(1, frame), OpusDepacketizer::Result::Frame);  // 0 lost, across the wrap
  EXPECT_EQ(d.lost(), 1u);
  EXPECT_EQ(d.push(0, frame), OpusDepacketizer::Result::Late);
  EXPECT_EQ(d.push(1, frame), OpusDepacketizer::Result::Late);
  EXPECT_EQ(d.push(2, {}), OpusDepacketizer::Result::Invalid);
}

}  // namespace
}  // namespace aerie
