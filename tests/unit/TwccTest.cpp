// Transport-wide congestion control feedback: RtcpWriter::transportFeedback read back by a
// decoder written here from the draft (draft-holmer-rmcat-transport-wide-cc-extensions-01
// section 3.1), and TwccRecorder's reports across losses, reordering and the 16-bit wrap.
#include <gtest/gtest.h>

#include <array>
#include <vector>

#include "codec/RtcpPacket.hpp"
#include "codec/RtcpWriter.hpp"
#include "media/TwccRecorder.hpp"

namespace aerie {
namespace {

struct Decoded {
  std::uint16_t base = 0;
  std::uint8_t count = 0;
  std::vector<std::int64_t> arrivalUs;  // -1: not received
};

// The draft's decoding: chunks (run length or status vector), then the deltas in order.
Decoded decode(std::span<const std::uint8_t> p) {
  Decoded d;
  EXPECT_EQ(p[0] & 0x1F, 15);
  EXPECT_EQ(p[1], 205);
  d.base = static_cast<std::uint16_t>(p[12] << 8 | p[13]);
  const std::size_t statusCount = static_cast<std::size_t>(p[14] << 8 | p[15]);
  const std::int64_t reference = (static_cast<std::int64_t>(p[16]) << 16 | p[17] << 8 | p[18]) * 64000;
  d.count = p[19];
  std::vector<int> symbols;
  std::size_t at = 20;
  while (symbols.size() < statusCount) {
    const std::uint16_t chunk = static_cast<std::uint16_t>(p[at] << 8 | p[at + 1]);
    at += 2;
    if ((chunk & 0x8000) == 0) {
      const int symbol = (chunk >> 13) & 3;
      for (int i = 0; i < (chunk & 0x1FFF); ++i) symbols.push_back(symbol);
    } else if (chunk & 0x4000) {
      for (int k = 0; k < 7; ++k) symbols.push_back((chunk >> (12 - 2 * k)) & 3);
    } else {
      for (int k = 0; k < 14; ++k) symbols.push_back((chunk >> (13 - k)) & 1);
    }
  }
  symbols.resize(statusCount);
  std::int64_t t = reference;
  for (int s : symbols) {
    if (s == 0) {
      d.arrivalUs.push_back(-1);
      continue;
    }
    std::int64_t delta = 0;
    if (s == 1) {
      delta = p[at++];
    } else {
      delta = static_cast<std::int16_t>(p[at] << 8 | p[at + 1]);
      at += 2;
    }
    t += delta * 250;
    d.arrivalUs.push_back(t);
  }
  return d;
}

TEST(TwccTest, FeedbackReadsBackWithinAQuarterMillisecond) {
  const std::vector<std::int64_t> arrivals{1'000'000, 1'000'300, RtcpWriter::kNotReceived, 1'001'000,
                                           1'150'000 /* a 149 ms gap: two-byte delta */,
                                           1'149'000 /* out of order: negative */, 1'149'250,
                                           1'149'500, 1'149'750};
  std::array<std::uint8_t, 256> buf{};
  const auto n = RtcpWriter::transportFeedback(buf, 1, 2, 65534, 7, arrivals);
  ASSERT_GT(n, 0u);
  ASSERT_EQ(n % 4, 0u);
  ASSERT_TRUE(RtcpPacket::validCompound(std::span<const std::uint8_t>(buf.data(), n)));
  const Decoded d = decode(std::span<const std::uint8_t>(buf.data(), n));
  EXPECT_EQ(d.base, 65534);
  EXPECT_EQ(d.count, 7);
  ASSERT_EQ(d.arrivalUs.size(), arrivals.size());
  for (std::size_t i = 0; i < arrivals.size(); ++i) {
    if (arrivals[i] == RtcpWriter::kNotReceived) {
      EXPECT_EQ(d.arrivalUs[i], -1) << i;
    } else {
      EXPECT_NEAR(static_cast<double>(d.arrivalUs[i]), static_cast<double>(arrivals[i]), 250.0) << i;
    }
  }
}

TEST(TwccTest, NothingReceivedOrTooManyIsRefused) {
  std::array<std::uint8_t, 64> buf{};
  const std::vector<std::int64_t> none{RtcpWriter::kNotReceived, RtcpWriter::kNotReceived};
  EXPECT_EQ(RtcpWriter::transportFeedback(buf, 1, 2, 0, 0, none), 0u);
  const std::vector<std::int64_t> many(RtcpWriter::kMaxFeedbackPackets + 1, 5);
  std::vector<std::uint8_t> big(8192);
  EXPECT_EQ(RtcpWriter::transportFeedback(big, 1, 2, 0, 0, many), 0u);
}

TEST(TwccTest, RecorderReportsEachPacketOnceWithGapsAsMissing) {
  TwccRecorder r;
  std::array<std::uint8_t, 512> buf{};
  EXPECT_EQ(r.feedback(buf, 1, 2), 0u) << "nothing yet";
  r.record(65533, 1000);
  r.record(65535, 3000);  // 65534 lost
  r.record(1, 5000);      // across the wrap; 0 lost
  auto n = r.feedback(buf, 1, 2);
  ASSERT_GT(n, 0u);
  Decoded d = decode(std::span<const std::uint8_t>(buf.data(), n));
  EXPECT_EQ(d.base, 65533);
  ASSERT_EQ(d.arrivalUs.size(), 5u);
  EXPECT_EQ(d.arrivalUs[1], -1);
  EXPECT_EQ(d.arrivalUs[3], -1);
  EXPECT_NE(d.arrivalUs[4], -1);
  EXPECT_EQ(r.feedback(buf, 1, 2), 0u) << "reported once";
  r.record(0, 6000);  // late: already reported missing
  r.record(2, 7000);
  n = r.feedback(buf, 1, 2);
  d = decode(std::span<const std::uint8_t>(buf.data(), n));
  EXPECT_EQ(d.base, 2);
  EXPECT_EQ(d.arrivalUs.size(), 1u);
  EXPECT_EQ(d.count, 1) << "the feedback count goes up";
}

}  // namespace
}  // namespace aerie
