// aerie-bot's VP8 payloading (RFC 7741): the descriptor it writes, the even split, and frames
// reassembled by Vp8Depayloader, including across gaps and with every optional descriptor field.
#include <gtest/gtest.h>

#include <array>
#include <numeric>
#include <vector>

#include "Vp8Depayloader.hpp"
#include "codec/Vp8Descriptor.hpp"
#include "Vp8Payloader.hpp"

namespace aerie::bot {
namespace {

std::vector<std::uint8_t> frameOf(std::size_t n, bool keyframe) {
  std::vector<std::uint8_t> f(n);
  std::iota(f.begin(), f.end(), std::uint8_t{0});
  f[0] = keyframe ? 0x10 : 0x11;  // VP8 payload header: P bit 0 on a key frame
  return f;
}

struct Packet {
  std::vector<std::uint8_t> payload;
  bool marker = false;
};

std::vector<Packet> packetize(const std::vector<std::uint8_t>& frame, std::size_t maxPayload, std::uint16_t pictureId) {
  Vp8Payloader p(maxPayload);
  const std::size_t count = p.packetCount(frame.size());
  std::vector<Packet> out;
  for (std::size_t i = 0; i < count; ++i) {
    std::array<std::uint8_t, 1500> buf{};
    const std::size_t n = p.write(buf, frame, i, count, pictureId);
    EXPECT_GT(n, Vp8Payloader::kDescriptorSize);
    out.push_back({std::vector<std::uint8_t>(buf.begin(), buf.begin() + static_cast<std::ptrdiff_t>(n)), i + 1 == count});
  }
  return out;
}

TEST(Vp8PayloaderTest, WritesTheDescriptorWithAFifteenBitPictureId) {
  const auto packets = packetize(frameOf(2500, true), 1000, 0x1234);
  ASSERT_EQ(packets.size(), 3u);
  // First: X=1, S=1, PID 0; then I=1; then M=1 and the 15 bits.
  EXPECT_EQ(packets[0].payload[0], 0x90);
  EXPECT_EQ(packets[0].payload[1], 0x80);
  EXPECT_EQ(packets[0].payload[2], 0x80 | 0x12);
  EXPECT_EQ(packets[0].payload[3], 0x34);
  EXPECT_EQ(packets[1].payload[0], 0x80);  // not a start
  for (const auto& p : packets) {
    auto d = Vp8Descriptor::parse(p.payload);
    ASSERT_TRUE(d);
    EXPECT_EQ(d->size, 4u);
    EXPECT_EQ(d->pictureId, 0x1234);
  }
  EXPECT_TRUE(Vp8Descriptor::parse(packets[0].payload)->keyframe);
}

TEST(Vp8PayloaderTest, SplitsEvenlyWithinTheLimit) {
  // 2500 bytes in payloads of at most 1000 (996 of frame each): 3 packets of 834, 833, 833.
  const auto packets = packetize(frameOf(2500, false), 1000, 1);
  ASSERT_EQ(packets.size(), 3u);
  EXPECT_EQ(packets[0].payload.size(), 4u + 834);
  EXPECT_EQ(packets[1].payload.size(), 4u + 833);
  EXPECT_EQ(packets[2].payload.size(), 4u + 833);
  EXPECT_FALSE(packets[0].marker);
  EXPECT_TRUE(packets[2].marker);
  // Exactly full, one byte over, and tiny frames.
  Vp8Payloader p(1000);
  EXPECT_EQ(p.packetCount(996), 1u);
  EXPECT_EQ(p.packetCount(997), 2u);
  EXPECT_EQ(p.packetCount(1), 1u);
  EXPECT_EQ(p.packetCount(0), 1u);
}

TEST(Vp8PayloaderTest, RefusesABufferTooSmallOrAnIndexPastTheEnd) {
  Vp8Payloader p(1000);
  const auto frame = frameOf(100, true);
  std::array<std::uint8_t, 50> small{};
  EXPECT_EQ(p.write(small, frame, 0, 1, 0), 0u);
  std::array<std::uint8_t, 200> buf{};
  EXPECT_EQ(p.write(buf, frame, 1, 1, 0), 0u);
  EXPECT_EQ(p.write(buf, frame, 0, 1, 0), 104u);
}

TEST(Vp8DepayloaderTest, ReassemblesWhatThePayloaderSplit) {
  const auto frame = frameOf(5000, true);
  Vp8Depayloader d;
  std::uint16_t seq = 65533;  // across the wrap
  const auto packets = packetize(frame, 1200, 7);
  for (std::size_t i = 0; i < packets.size(); ++i) {
    const auto r = d.push(seq++, packets[i].marker, packets[i].payload);
    EXPECT_EQ(r, i + 1 == packets.size() ? Vp8Depayloader::Result::Frame : Vp8Depayloader::Result::Partial);
  }
  EXPECT_TRUE(d.keyframe());
  EXPECT_EQ(std::vector<std::uint8_t>(d.frame().begin(), d.frame().end()), frame);
  EXPECT_EQ(d.dropped(), 0u);
}

TEST(Vp8DepayloaderTest, AGapDropsTheFrameUntilTheNextStart) {
  const auto packets = packetize(frameOf(3000, false), 1200, 1);  // 3 packets
  ASSERT_EQ(packets.size(), 3u);
  Vp8Depayloader d;
  EXPECT_EQ(d.push(10, false, packets[0].payload), Vp8Depayloader::Result::Partial);
  EXPECT_EQ(d.push(12, true, packets[2].payload), Vp8Depayloader::Result::Skipped);  // 11 lost
  EXPECT_EQ(d.dropped(), 1u);
  EXPECT_EQ(d.state(), Vp8Depayloader::State::Idle);
  // The next frame, whole, comes through and is not a key frame.
  const auto next = packetize(frameOf(100, false), 1200, 2);
  EXPECT_EQ(d.push(13, true, next[0].payload), Vp8Depayloader::Result::Frame);
  EXPECT_FALSE(d.keyframe());
  EXPECT_EQ(d.frame().size(), 100u);
}

TEST(Vp8DepayloaderTest, ANewStartAbandonsAFrameThatLostItsEnd) {
  const auto first = packetize(frameOf(3000, false), 1200, 1);
  const auto second = packetize(frameOf(50, true), 1200, 2);
  Vp8Depayloader d;
  EXPECT_EQ(d.push(1, false, first[0].payload), Vp8Depayloader::Result::Partial);
  EXPECT_EQ(d.push(2, true, second[0].payload), Vp8Depayloader::Result::Frame);
  EXPECT_EQ(d.dropped(), 1u);
  EXPECT_TRUE(d.keyframe());
}

TEST(Vp8DescriptorTest, ReadsEveryOptionalField) {
  // X, S; I with a 7-bit PictureID; L: TL0PICIDX; T/K: one byte; then VP8 data (inter frame).
  const std::array<std::uint8_t, 6> all{0x90, 0xF0, 0x05, 0x22, 0x40, 0x01};
  auto d = Vp8Descriptor::parse(all);
  ASSERT_TRUE(d);
  EXPECT_TRUE(d->start);
  EXPECT_EQ(d->pictureId, 5);
  EXPECT_EQ(d->size, 5u);
  EXPECT_FALSE(d->keyframe);
  // No extension at all: one byte, then a key frame.
  const std::array<std::uint8_t, 2> bare{0x10, 0x00};
  d = Vp8Descriptor::parse(bare);
  ASSERT_TRUE(d);
  EXPECT_EQ(d->size, 1u);
  EXPECT_FALSE(d->pictureId);
  EXPECT_TRUE(d->keyframe);
  // N and a partition index other than 0: no key frame claim.
  const std::array<std::uint8_t, 2> later{0x32, 0x00};
  d = Vp8Descriptor::parse(later);
  ASSERT_TRUE(d);
  EXPECT_TRUE(d->nonReference);
  EXPECT_EQ(d->partition, 2);
  EXPECT_FALSE(d->keyframe);
}

TEST(Vp8DescriptorTest, RefusesWhatIsTooShortForItsBits) {
  const std::vector<std::vector<std::uint8_t>> bad{
      {},                        // empty
      {0x90},                    // X without its byte
      {0x90, 0x80},              // I without the PictureID
      {0x90, 0x80, 0x81},        // M without the second byte
      {0x90, 0x40},              // L without TL0PICIDX
      {0x90, 0x80, 0x81, 0x02},  // a whole descriptor, no VP8 data
      {0x10},                    // no VP8 data
  };
  for (const auto& b : bad) EXPECT_FALSE(Vp8Descriptor::parse(b)) << b.size();
}

TEST(Vp8PayloaderTest, TheDescriptorsPictureIdAndTl0PicIdxAreRewrittenInPlace) {
  // X=1 S=1; I=1 L=1 T=1; 15-bit PictureID 0x1234; TL0PICIDX 9; TID/Y/KEYIDX; then a key frame.
  std::vector<std::uint8_t> p = {0x90, 0xE0, 0x92, 0x34, 0x09, 0x40, 0x10, 0x02, 0x00, 0x9d, 0x01, 0x2a, 0x40, 0x01, 0xF0, 0x00};
  auto d = Vp8Descriptor::parse(p);
  ASSERT_TRUE(d);
  EXPECT_EQ(d->pictureId, 0x1234);
  EXPECT_TRUE(d->longPictureId);
  EXPECT_EQ(d->tl0PicIdx, 9);
  EXPECT_EQ(d->size, 6u);
  EXPECT_TRUE(d->keyframe);
  d->writePictureId(p, 0x7001);
  d->writeTl0PicIdx(p, 200);
  auto e = Vp8Descriptor::parse(p);
  ASSERT_TRUE(e);
  EXPECT_EQ(e->pictureId, 0x7001);
  EXPECT_EQ(e->tl0PicIdx, 200);
  EXPECT_TRUE(e->keyframe);
  EXPECT_EQ(e->width, 320);
  // A 7-bit PictureID keeps its 7 bits; absent fields are left alone.
  std::vector<std::uint8_t> q = {0x90, 0x80, 0x05, 0x00, 0x00};
  auto f = Vp8Descriptor::parse(q);
  ASSERT_TRUE(f);
  EXPECT_FALSE(f->longPictureId);
  f->writePictureId(q, 0x1FF);
  f->writeTl0PicIdx(q, 3);
  EXPECT_EQ(q, (std::vector<std::uint8_t>{0x90, 0x80, 0x7F, 0x00, 0x00}));
}

}  // namespace
}  // namespace aerie::bot
