// TransportFeedback: the transport-cc feedback a subscriber's browser sends (RTPFB FMT 15), read
// from hand-built packets in the forms Chromium writes (run-length chunks for runs of one
// status, two-bit status vectors around a loss or a large delta, padding), from RtcpWriter's
// feedback, and refused when its chunks or deltas overrun the packet.
#include <gtest/gtest.h>

#include <array>
#include <cstdint>
#include <vector>

#include "codec/RtcpPacket.hpp"
#include "codec/RtcpWriter.hpp"
#include "codec/TransportFeedback.hpp"

namespace aerie {
namespace {

struct Status {
  std::uint16_t seq;
  bool received;
  std::int64_t arrivalUs;
};

std::vector<Status> statuses(const TransportFeedback& f) {
  std::vector<Status> out;
  f.forEach([&](std::uint16_t seq, bool received, std::int64_t at) { out.push_back({seq, received, at}); });
  return out;
}

std::optional<TransportFeedback> parse(const std::vector<std::uint8_t>& bytes) {
  auto p = RtcpPacket::first(bytes);
  if (!p) return std::nullopt;
  return TransportFeedback::parse(*p);
}

// What Chromium sends after ten packets: four received 1, 0, 20 and 0.25 ms apart (a run-length
// chunk of "small delta"), one lost, one that arrived 4 ms before the one before it (a large,
// negative delta), four more 2 ms apart (a two-bit status vector for the six), padded to a
// word with the padding bit.
const std::vector<std::uint8_t> kChromium = {
    0xAF, 0xCD, 0x00, 0x08,  // V=2, P, FMT 15, RTPFB, 9 words
    0x00, 0x00, 0x00, 0x01,  // sender SSRC
    0x12, 0x34, 0x56, 0x78,  // media SSRC
    0x00, 0x05, 0x00, 0x0A,  // base sequence 5, 10 statuses
    0x00, 0x01, 0x02, 0x03,  // reference time 258 × 64 ms, feedback count 3
    0x20, 0x04,              // run length: symbol 1 (small delta) × 4
    0xC9, 0x54,              // two-bit vector: lost, large, small, small, small, small, (none)
    0x04, 0x00, 0x50, 0x01,  // deltas of the run: 1 ms, 0, 20 ms, 0.25 ms
    0xFF, 0xF0,              // large: -16 × 250 µs
    0x08, 0x08, 0x08, 0x08,  // 2 ms each
    0x00, 0x02,              // padding: 2 bytes
};

TEST(TransportFeedback, ReadsWhatChromiumSends) {
  auto f = parse(kChromium);
  ASSERT_TRUE(f);
  EXPECT_EQ(f->senderSsrc(), 1u);
  EXPECT_EQ(f->mediaSsrc(), 0x12345678u);
  EXPECT_EQ(f->baseSequence(), 5);
  EXPECT_EQ(f->statusCount(), 10);
  EXPECT_EQ(f->referenceTime(), 258);
  EXPECT_EQ(f->feedbackCount(), 3);
  EXPECT_EQ(f->receivedCount(), 9u);
  const std::int64_t ref = 258 * 64000;
  const auto s = statuses(*f);
  ASSERT_EQ(s.size(), 10u);
  const std::vector<Status> want = {
      {5, true, ref + 1000},  {6, true, ref + 1000},  {7, true, ref + 21000},  {8, true, ref + 21250},
      {9, false, 0},          {10, true, ref + 17250}, {11, true, ref + 19250}, {12, true, ref + 21250},
      {13, true, ref + 23250}, {14, true, ref + 25250},
  };
  for (std::size_t i = 0; i < want.size(); ++i) {
    EXPECT_EQ(s[i].seq, want[i].seq) << i;
    EXPECT_EQ(s[i].received, want[i].received) << i;
    EXPECT_EQ(s[i].arrivalUs, want[i].arrivalUs) << i;
  }
}

TEST(TransportFeedback, OneBitVectorsRunsOfLossAndTheSequenceWrap) {
  // Base 65534: a run of 3 lost, then a one-bit vector (14 statuses, of which 5 count here:
  // received, lost, received, received, lost), a negative reference time.
  const std::vector<std::uint8_t> bytes = {
      0x8F, 0xCD, 0x00, 0x06, 0, 0, 0, 9, 0, 0, 0, 7,
      0xFF, 0xFE, 0x00, 0x08,  // base 65534, 8 statuses
      0xFF, 0xFF, 0xFF, 0x00,  // reference -1, count 0
      0x00, 0x03,              // run length: symbol 0 × 3
      0xAC, 0x00,              // one-bit vector: 1 0 1 1 0 ...
      0x01, 0x02, 0x03, 0x00,  // three small deltas, one byte of zero after
  };
  auto f = parse(bytes);
  ASSERT_TRUE(f);
  EXPECT_EQ(f->referenceTime(), -1);
  const auto s = statuses(*f);
  ASSERT_EQ(s.size(), 8u);
  EXPECT_EQ(s[0].seq, 65534);
  EXPECT_EQ(s[2].seq, 0);
  EXPECT_FALSE(s[0].received || s[1].received || s[2].received);
  EXPECT_TRUE(s[3].received);
  EXPECT_EQ(s[3].arrivalUs, -64000 + 250);
  EXPECT_FALSE(s[4].received);
  EXPECT_EQ(s[5].arrivalUs, -64000 + 750);
  EXPECT_EQ(s[6].arrivalUs, -64000 + 1500);
  EXPECT_FALSE(s[7].received);
  EXPECT_EQ(f->receivedCount(), 3u);
}

TEST(TransportFeedback, ReadsRtcpWriterFeedback) {
  std::vector<std::int64_t> arrivals;
  for (int i = 0; i < 40; ++i) arrivals.push_back(i % 9 == 4 ? RtcpWriter::kNotReceived : 5'000'000 + i * 3000 + (i == 20 ? 90000 : 0));
  std::array<std::uint8_t, 1500> out{};
  const std::size_t n = RtcpWriter::transportFeedback(out, 1, 2, 65530, 7, arrivals);
  ASSERT_NE(n, 0u);
  const std::vector<std::uint8_t> bytes(out.begin(), out.begin() + static_cast<std::ptrdiff_t>(n));
  auto f = parse(bytes);  // a view: `bytes` outlives it
  ASSERT_TRUE(f);
  EXPECT_EQ(f->feedbackCount(), 7);
  const auto s = statuses(*f);
  ASSERT_EQ(s.size(), arrivals.size());
  for (std::size_t i = 0; i < arrivals.size(); ++i) {
    EXPECT_EQ(s[i].seq, static_cast<std::uint16_t>(65530 + i));
    EXPECT_EQ(s[i].received, arrivals[i] != RtcpWriter::kNotReceived) << i;
    // The writer rounds each delta down to 250 µs.
    if (s[i].received) {
      EXPECT_NEAR(static_cast<double>(s[i].arrivalUs), static_cast<double>(arrivals[i]), 250.0) << i;
    }
  }
}

TEST(TransportFeedback, RefusesWhatDoesNotFit) {
  // Not FMT 15 (a NACK).
  auto nack = kChromium;
  nack[0] = 0xA1;
  EXPECT_FALSE(parse(nack));
  // More statuses than the chunks there are.
  auto more = kChromium;
  more[15] = 40;
  EXPECT_FALSE(parse(more));
  // Deltas cut short: the packet ends (its length says so) before the last delta.
  auto shortDeltas = kChromium;
  shortDeltas[0] = 0x8F;  // no padding: the padding bytes are read as the rest of the body
  shortDeltas[3] = 0x07;  // 8 words: the body ends in the middle of the deltas
  shortDeltas.resize(32);
  EXPECT_FALSE(parse(shortDeltas));
  // The reserved symbol 3.
  auto reserved = kChromium;
  reserved[20] = 0x60;  // run length, symbol 3
  EXPECT_FALSE(parse(reserved));
  // A run of length 0.
  auto empty = kChromium;
  empty[20] = 0x20;
  empty[21] = 0x00;
  EXPECT_FALSE(parse(empty));
  // A header cut short.
  const std::vector<std::uint8_t> header = {0x8F, 0xCD, 0x00, 0x03, 0, 0, 0, 1, 0, 0, 0, 2, 0, 0, 0, 1};
  EXPECT_FALSE(parse(header));
}

}  // namespace
}  // namespace aerie
