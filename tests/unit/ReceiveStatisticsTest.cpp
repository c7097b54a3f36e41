// ReceiveStatistics: the numbers of the receiver reports the SFU sends publishers (RFC 3550
// appendix A.1, A.3, A.8), and the RR written with RtcpWriter and read back with RtcpPacket.
#include <gtest/gtest.h>

#include <array>

#include "codec/RtcpPacket.hpp"
#include "codec/RtcpWriter.hpp"
#include "media/ReceiveStatistics.hpp"

namespace aerie {
namespace {

TEST(ReceiveStatistics, NothingReceivedReportsNothing) {
  ReceiveStatistics s;
  EXPECT_FALSE(s.received());
  const auto b = s.report(7, 0);
  EXPECT_EQ(b.ssrc, 7u);
  EXPECT_EQ(b.highestSequence, 0u);
}

TEST(ReceiveStatistics, LossAndFractionPerInterval) {
  ReceiveStatistics s(90000);
  // 100 packets sent, 10 lost (every tenth), 30 ms apart at 90 kHz.
  for (std::uint16_t i = 0; i < 100; ++i) {
    if (i % 10 == 5) continue;
    s.onPacket(static_cast<std::uint16_t>(1000 + i), 2700u * i, 30000 * i);
  }
  auto b = s.report(1, 3000000);
  EXPECT_EQ(b.highestSequence, 1099u);
  EXPECT_EQ(b.cumulativeLost, 10);
  EXPECT_EQ(b.fractionLost, 25);  // 10/100 of 256
  EXPECT_EQ(b.jitter, 0u) << "evenly spaced: no jitter";
  // The next interval loses nothing.
  for (std::uint16_t i = 100; i < 150; ++i) s.onPacket(static_cast<std::uint16_t>(1000 + i), 2700u * i, 30000 * i);
  b = s.report(1, 4500000);
  EXPECT_EQ(b.fractionLost, 0);
  EXPECT_EQ(b.cumulativeLost, 10);
}

TEST(ReceiveStatistics, SequenceWrapsAndLatePacketsDoNotMoveTheHighest) {
  ReceiveStatistics s;
  s.onPacket(65534, 0, 0);
  s.onPacket(65535, 0, 0);
  s.onPacket(1, 0, 0);   // 0 is late
  s.onPacket(0, 0, 0);
  s.onPacket(2, 0, 0);
  const auto b = s.report(1, 0);
  EXPECT_EQ(b.highestSequence, 65536u + 2);
  EXPECT_EQ(b.cumulativeLost, 0);
}

TEST(ReceiveStatistics, JitterFollowsUnevenArrival) {
  ReceiveStatistics s(90000);
  for (int i = 0; i < 200; ++i) {
    // Sent every 33 ms; arrives 0 or 10 ms late, alternately.
    s.onPacket(static_cast<std::uint16_t>(i), 2970u * static_cast<std::uint32_t>(i), 33000LL * i + (i % 2) * 10000);
  }
  const auto b = s.report(1, 0);
  // |D| is 10 ms = 900 units each time: the estimate converges to 900.
  EXPECT_GT(b.jitter, 800u);
  EXPECT_LT(b.jitter, 950u);
}

TEST(ReceiveStatistics, LastSenderReportAndItsAge) {
  ReceiveStatistics s;
  s.onPacket(1, 0, 0);
  const std::uint64_t ntp = 0x1122334455667788ull;
  s.onSenderReport(ntp, 1000000);
  const auto b = s.report(1, 1500000);  // half a second later
  EXPECT_EQ(b.lastSenderReport, 0x33445566u);
  EXPECT_EQ(b.delaySinceLast, 32768u);
}

TEST(ReceiveStatistics, AReceiverReportReadsBack) {
  std::array<RtcpReportBlock, 2> blocks{};
  blocks[0] = {0xAABBCCDD, 25, -3, 70000, 12, 0x33445566, 32768};
  blocks[1] = {0x01020304, 0, 100, 5, 0, 0, 0};
  std::array<std::uint8_t, 64> out{};
  const std::size_t n = RtcpWriter::receiverReport(out, 1, blocks);
  ASSERT_EQ(n, RtcpWriter::receiverReportSize(2));
  const std::span<const std::uint8_t> bytes(out.data(), n);
  ASSERT_TRUE(RtcpPacket::validCompound(bytes));
  auto p = RtcpPacket::first(bytes);
  ASSERT_TRUE(p);
  EXPECT_EQ(p->type(), RtcpPacket::ReceiverReport);
  EXPECT_EQ(p->senderSsrc(), 1u);
  auto b0 = p->reportBlock(0);
  ASSERT_TRUE(b0);
  EXPECT_EQ(b0->ssrc, 0xAABBCCDDu);
  EXPECT_EQ(b0->fractionLost, 25);
  EXPECT_EQ(b0->cumulativeLost, -3);
  EXPECT_EQ(b0->highestSequence, 70000u);
  EXPECT_EQ(b0->jitter, 12u);
  EXPECT_EQ(b0->lastSenderReport, 0x33445566u);
  EXPECT_EQ(b0->delaySinceLast, 32768u);
  EXPECT_EQ(p->reportBlock(1)->cumulativeLost, 100);
  std::array<std::uint8_t, 16> small{};
  EXPECT_EQ(RtcpWriter::receiverReport(small, 1, blocks), 0u);
}

}  // namespace
}  // namespace aerie
