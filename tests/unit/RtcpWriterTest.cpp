// RtcpWriter: the PLI and REMB the SFU sends, read back with RtcpPacket.
#include <gtest/gtest.h>

#include <array>

#include "codec/RtcpPacket.hpp"
#include "codec/RtcpWriter.hpp"

namespace aerie {
namespace {

TEST(RtcpWriterTest, PliReadsBack) {
  std::array<std::uint8_t, 32> buf{};
  const auto n = RtcpWriter::pli(buf, 1, 0xCAFEBABE);
  ASSERT_EQ(n, RtcpWriter::kPliSize);
  auto span = std::span<const std::uint8_t>(buf.data(), n);
  ASSERT_TRUE(RtcpPacket::validCompound(span));
  auto p = RtcpPacket::first(span);
  ASSERT_TRUE(p);
  EXPECT_TRUE(p->isPli());
  EXPECT_EQ(p->senderSsrc(), 1u);
  EXPECT_EQ(p->mediaSsrc(), 0xCAFEBABEu);
}

TEST(RtcpWriterTest, SenderReportReadsBack) {
  std::array<std::uint8_t, 32> buf{};
  RtcpSenderInfo info;
  info.ntpTime = 0xE8D4A51000001234ull;
  info.rtpTimestamp = 90000;
  info.packetCount = 150;
  info.octetCount = 123456;
  const auto n = RtcpWriter::senderReport(buf, 0x11223344, info);
  ASSERT_EQ(n, RtcpWriter::kSenderReportSize);
  auto span = std::span<const std::uint8_t>(buf.data(), n);
  ASSERT_TRUE(RtcpPacket::validCompound(span));
  auto p = RtcpPacket::first(span);
  ASSERT_TRUE(p);
  EXPECT_EQ(p->type(), RtcpPacket::SenderReport);
  EXPECT_EQ(p->count(), 0);
  EXPECT_EQ(p->senderSsrc(), 0x11223344u);
  auto read = p->senderInfo();
  ASSERT_TRUE(read);
  EXPECT_EQ(read->ntpTime, info.ntpTime);
  EXPECT_EQ(read->rtpTimestamp, 90000u);
  EXPECT_EQ(read->packetCount, 150u);
  EXPECT_EQ(read->octetCount, 123456u);
  EXPECT_EQ(RtcpWriter::senderReport(std::span(buf).first(27), 1, info), 0u);
}

TEST(RtcpWriterTest, RembReadsBackWithItsBitrate) {
  std::array<std::uint8_t, 64> buf{};
  const std::array<std::uint32_t, 2> ssrcs{1111, 2222};
  for (std::uint64_t bitrate : {std::uint64_t{100'000}, std::uint64_t{2'500'000}, std::uint64_t{262'143}}) {
    const auto n = RtcpWriter::remb(buf, 1, bitrate, ssrcs);
    ASSERT_EQ(n, RtcpWriter::rembSize(2));
    auto span = std::span<const std::uint8_t>(buf.data(), n);
    ASSERT_TRUE(RtcpPacket::validCompound(span));
    auto p = RtcpPacket::first(span);
    ASSERT_TRUE(p);
    auto remb = p->remb();
    ASSERT_TRUE(remb);
    EXPECT_EQ(remb->ssrcCount, 2u);
    // 18 bits of mantissa: exact below 2^18, within 2^-17 of the value above.
    EXPECT_LE(remb->bitrate, bitrate);
    EXPECT_GE(remb->bitrate, bitrate - bitrate / (1u << 17) - 1);
  }
}

TEST(RtcpWriterTest, RefusesABufferTooSmall) {
  std::array<std::uint8_t, 8> small{};
  EXPECT_EQ(RtcpWriter::pli(small, 1, 2), 0u);
  const std::array<std::uint32_t, 1> ssrcs{1};
  EXPECT_EQ(RtcpWriter::remb(small, 1, 1000, ssrcs), 0u);
}

}  // namespace
}  // namespace aerie
