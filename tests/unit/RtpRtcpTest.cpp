// RTP and RTCP views over hand-built packets (RFC 3550, RFC 8285, RFC 4585, RFC 5104, REMB).
#include <gtest/gtest.h>

#include <vector>

#include "codec/RtcpPacket.hpp"
#include "codec/RtpPacket.hpp"

namespace aerie {
namespace {

using Bytes = std::vector<std::uint8_t>;

void put32(Bytes& b, std::uint32_t v) {
  for (int s = 24; s >= 0; s -= 8) b.push_back(static_cast<std::uint8_t>(v >> s));
}

// V=2, with the given flags, PT 96, seq 0x1234, ts 0xDEADBEEF, SSRC 0x11223344.
Bytes rtp(std::uint8_t first, bool marker = false) {
  Bytes b{first, static_cast<std::uint8_t>((marker ? 0x80 : 0) | 96), 0x12, 0x34};
  put32(b, 0xDEADBEEF);
  put32(b, 0x11223344);
  return b;
}

TEST(RtpPacket, FixedHeaderPayloadAndRewrite) {
  Bytes b = rtp(0x80, true);
  b.insert(b.end(), {1, 2, 3});
  auto p = RtpPacket::parse(b);
  ASSERT_TRUE(p);
  EXPECT_TRUE(p->marker());
  EXPECT_EQ(p->payloadType(), 96);
  EXPECT_EQ(p->sequenceNumber(), 0x1234);
  EXPECT_EQ(p->timestamp(), 0xDEADBEEFu);
  EXPECT_EQ(p->ssrc(), 0x11223344u);
  EXPECT_EQ(p->payload().size(), 3u);
  EXPECT_EQ(p->payload()[2], 3);
  // An SFU's rewrite, in place.
  p->setSequenceNumber(7);
  p->setTimestamp(90000);
  p->setSsrc(0xCAFEBABE);
  p->setPayloadType(111);
  EXPECT_EQ(b[2], 0);
  EXPECT_EQ(b[3], 7);
  auto again = RtpPacket::parse(b);
  EXPECT_EQ(again->ssrc(), 0xCAFEBABEu);
  EXPECT_EQ(again->timestamp(), 90000u);
  EXPECT_EQ(again->payloadType(), 111);
  EXPECT_TRUE(again->marker());  // kept
}

TEST(RtpPacket, CsrcsOneByteExtensionsAndPadding) {
  Bytes b = rtp(0x80 | 0x20 | 0x10 | 2);  // padding, extension, 2 CSRCs
  put32(b, 0xA);
  put32(b, 0xB);
  // RFC 8285 one-byte form: id 1 (audio level, 1 byte), a padding byte, id 3 (3 bytes).
  b.insert(b.end(), {0xBE, 0xDE, 0x00, 0x02, 0x10, 0x85, 0x00, 0x32, 0xAA, 0xBB, 0xCC, 0x00});
  b.insert(b.end(), {9, 9});           // payload
  b.insert(b.end(), {0, 0, 3});        // 3 bytes of padding
  auto p = RtpPacket::parse(b);
  ASSERT_TRUE(p);
  EXPECT_EQ(p->csrcCount(), 2u);
  EXPECT_EQ(p->csrc(1), 0xBu);
  EXPECT_EQ(p->extensionProfile(), 0xBEDE);
  auto level = p->extension(1);
  ASSERT_TRUE(level);
  ASSERT_EQ(level->size(), 1u);
  EXPECT_EQ((*level)[0], 0x85);  // voice activity bit and level 5
  auto three = p->extension(3);
  ASSERT_TRUE(three);
  EXPECT_EQ(three->size(), 3u);
  EXPECT_EQ((*three)[2], 0xCC);
  EXPECT_FALSE(p->extension(2));
  EXPECT_FALSE(p->extension(15));
  EXPECT_EQ(p->payload().size(), 2u);
  EXPECT_EQ(p->paddingSize(), 3u);
}

TEST(RtpPacket, TwoByteExtensions) {
  Bytes b = rtp(0x80 | 0x10);
  // Element 5 (3 bytes), element 7 (empty: allowed in the two-byte form), padding.
  b.insert(b.end(), {0x10, 0x00, 0x00, 0x02, 0x05, 0x03, 0x01, 0x02, 0x03, 0x07, 0x00, 0x00});
  auto p = RtpPacket::parse(b);
  ASSERT_TRUE(p);
  auto e = p->extension(5);
  ASSERT_TRUE(e);
  EXPECT_EQ(e->size(), 3u);
  auto empty = p->extension(7);
  ASSERT_TRUE(empty);
  EXPECT_TRUE(empty->empty());
  EXPECT_TRUE(p->payload().empty());
}

TEST(RtpPacket, BadLengthsAreRefusedNotRead) {
  for (const Bytes& bad : {Bytes{0x80, 96, 0, 1},                            // short
                           Bytes{0x40, 96, 0, 1, 0, 0, 0, 0, 0, 0, 0, 0},    // version 1
                           Bytes{0x8F, 96, 0, 1, 0, 0, 0, 0, 0, 0, 0, 0}}) {  // 15 CSRCs missing
    std::vector<std::uint8_t> copy = bad;
    EXPECT_FALSE(RtpPacket::parse(copy));
  }
  Bytes ext = rtp(0x90);
  ext.insert(ext.end(), {0xBE, 0xDE, 0x00, 0x05, 0x10});  // says 20 bytes, has 1
  EXPECT_FALSE(RtpPacket::parse(ext));
  Bytes pad = rtp(0xA0);
  pad.insert(pad.end(), {1, 2, 9});  // 9 bytes of padding in a 3-byte payload
  EXPECT_FALSE(RtpPacket::parse(pad));
  Bytes zeroPad = rtp(0xA0);
  zeroPad.push_back(0);
  EXPECT_FALSE(RtpPacket::parse(zeroPad));
  // An element longer than the extension: absent, not read past the end.
  Bytes element = rtp(0x90);
  element.insert(element.end(), {0xBE, 0xDE, 0x00, 0x01, 0x1F, 0, 0, 0});
  auto p = RtpPacket::parse(element);
  ASSERT_TRUE(p);
  EXPECT_FALSE(p->extension(1));
}

TEST(RtpPacket, RtcpIsToldApartOnOnePort) {
  const Bytes sr{0x80, 200, 0, 6};
  const Bytes pli{0x81, 206, 0, 2};
  const Bytes media = rtp(0x80, true);  // 0x80 | 96 = 224: RTP
  EXPECT_TRUE(RtpPacket::looksLikeRtcp(sr));
  EXPECT_TRUE(RtpPacket::looksLikeRtcp(pli));
  EXPECT_FALSE(RtpPacket::looksLikeRtcp(media));
}

// SR with one report block, then a PLI, then a NACK, then REMB, then a FIR: one compound.
Bytes compound() {
  Bytes b{0x81, 200, 0x00, 12};  // SR, RC 1, (12+1)*4 = 52 bytes
  put32(b, 0x11111111);           // sender SSRC
  put32(b, 0xE0000000);           // NTP seconds
  put32(b, 0x80000000);           // NTP fraction
  put32(b, 90000);                // RTP timestamp
  put32(b, 1000);                 // packets
  put32(b, 120000);               // octets
  put32(b, 0x22222222);           // report block: source
  b.insert(b.end(), {64, 0xFF, 0xFF, 0xFE});  // 25 % lost, cumulative -2
  put32(b, 0x00010010);           // highest sequence (cycles 1, seq 16)
  put32(b, 33);                   // jitter
  put32(b, 0x12345678);           // LSR
  put32(b, 65536);                // DLSR: 1 s
  b.insert(b.end(), {0x81, 206, 0x00, 0x02});  // PLI
  put32(b, 0x11111111);
  put32(b, 0x22222222);
  b.insert(b.end(), {0x81, 205, 0x00, 0x03});  // NACK: PID 100, BLP bits 0 and 2
  put32(b, 0x11111111);
  put32(b, 0x22222222);
  b.insert(b.end(), {0x00, 100, 0x00, 0x05});
  b.insert(b.end(), {0x8F, 206, 0x00, 0x05});  // REMB, one SSRC: 1.5 Mbit/s
  put32(b, 0x11111111);
  put32(b, 0);
  b.insert(b.end(), {'R', 'E', 'M', 'B', 1});
  // 1,500,000 = 0x16E360 = mantissa 0x2DC6C << 3: exponent 3, mantissa 18 bits.
  b.insert(b.end(), {static_cast<std::uint8_t>(3 << 2 | (0x2DC6C >> 16)), 0xDC, 0x6C});
  put32(b, 0x22222222);
  b.insert(b.end(), {0x84, 206, 0x00, 0x04});  // FIR, one entry: SSRC, seq 9
  put32(b, 0x11111111);
  put32(b, 0);
  put32(b, 0x22222222);
  b.insert(b.end(), {9, 0, 0, 0});
  return b;
}

TEST(RtcpPacket, ACompoundOfReportsAndFeedback) {
  const Bytes b = compound();
  ASSERT_TRUE(RtcpPacket::validCompound(b));
  std::span<const std::uint8_t> rest(b);
  auto sr = RtcpPacket::first(rest);
  ASSERT_TRUE(sr);
  EXPECT_EQ(sr->type(), RtcpPacket::SenderReport);
  EXPECT_EQ(sr->senderSsrc(), 0x11111111u);
  EXPECT_EQ(sr->senderInfo()->rtpTimestamp, 90000u);
  EXPECT_EQ(sr->senderInfo()->ntpTime, 0xE000000080000000ull);
  auto block = sr->reportBlock(0);
  ASSERT_TRUE(block);
  EXPECT_EQ(block->ssrc, 0x22222222u);
  EXPECT_EQ(block->fractionLost, 64);
  EXPECT_EQ(block->cumulativeLost, -2);
  EXPECT_EQ(block->highestSequence, 0x00010010u);
  EXPECT_EQ(block->delaySinceLast, 65536u);
  EXPECT_FALSE(sr->reportBlock(1));

  rest = rest.subspan(sr->size());
  auto pli = RtcpPacket::first(rest);
  ASSERT_TRUE(pli);
  EXPECT_TRUE(pli->isPli());
  EXPECT_EQ(pli->mediaSsrc(), 0x22222222u);

  rest = rest.subspan(pli->size());
  auto nack = RtcpPacket::first(rest);
  ASSERT_TRUE(nack);
  std::vector<std::uint16_t> lost;
  EXPECT_TRUE(nack->forEachNack([&lost](std::uint16_t s) { lost.push_back(s); }));
  EXPECT_EQ(lost, (std::vector<std::uint16_t>{100, 101, 103}));

  rest = rest.subspan(nack->size());
  auto remb = RtcpPacket::first(rest);
  ASSERT_TRUE(remb && remb->remb());
  EXPECT_EQ(remb->remb()->bitrate, 1500000u);
  EXPECT_EQ(remb->remb()->ssrcCount, 1u);

  rest = rest.subspan(remb->size());
  auto fir = RtcpPacket::first(rest);
  ASSERT_TRUE(fir);
  EXPECT_EQ(fir->firEntries(), 1u);
  EXPECT_EQ(fir->firEntry(0)->first, 0x22222222u);
  EXPECT_EQ(fir->firEntry(0)->second, 9);
  EXPECT_EQ(rest.size(), fir->size());
}

TEST(RtcpPacket, ACompoundWhoseLengthsDoNotAddUpIsRefusedWhole) {
  Bytes b = compound();
  Bytes cut(b.begin(), b.end() - 1);
  EXPECT_FALSE(RtcpPacket::validCompound(cut));
  Bytes longer = b;
  longer.push_back(0);
  EXPECT_FALSE(RtcpPacket::validCompound(longer));
  Bytes padded = b;
  padded[0] |= 0x20;  // padding on the first packet only: not allowed
  EXPECT_FALSE(RtcpPacket::validCompound(padded));
  Bytes notRtcp = b;
  notRtcp[1] = 96;
  EXPECT_FALSE(RtcpPacket::validCompound(notRtcp));
  EXPECT_FALSE(RtcpPacket::validCompound({}));
  // A report count larger than the packet: the missing blocks are absent, not read.
  Bytes rr{0x83, 201, 0x00, 0x01};
  put32(rr, 1);
  ASSERT_TRUE(RtcpPacket::validCompound(rr));
  EXPECT_FALSE(RtcpPacket::first(rr)->reportBlock(0));
}

}  // namespace
}  // namespace aerie
