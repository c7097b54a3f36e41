// SubscriberBandwidth: the subscriber's copy of a forwarded packet gets the transport's own
// transport-wide number in place of the publisher's (under the subscriber's extension id), the
// numbers are what the feedback of a receiver (TwccRecorder, written by RtcpWriter, read by
// TransportFeedback) refers to, and that feedback reaches the estimate. TwccSendHistory keeps
// numbers for a while and counts each once.
#include <gtest/gtest.h>

#include <array>
#include <vector>

#include "codec/RtcpPacket.hpp"
#include "codec/RtpPacket.hpp"
#include "codec/TransportFeedback.hpp"
#include "media/TwccRecorder.hpp"
#include "media/TwccSendHistory.hpp"
#include "sfu/SubscriberBandwidth.hpp"

namespace aerie {
namespace {

// An RTP packet with a one-byte-header extension: mid (id 4, "0") and transport-wide-cc (id
// `twccId`, the publisher's number `seq`), then `payload` bytes.
std::vector<std::uint8_t> packet(std::uint8_t twccId, std::uint16_t seq, std::size_t payload) {
  std::vector<std::uint8_t> p = {0x90, 96, 0x00, 0x01, 0, 0, 0x10, 0, 0x11, 0x22, 0x33, 0x44,
                                 0xBE, 0xDE, 0x00, 0x02,
                                 0x40, '0',
                                 static_cast<std::uint8_t>(twccId << 4 | 1), static_cast<std::uint8_t>(seq >> 8), static_cast<std::uint8_t>(seq),
                                 0x00, 0x00, 0x00};
  p.resize(p.size() + payload, 0xAB);
  return p;
}

std::uint16_t twccOf(std::vector<std::uint8_t>& bytes, std::uint8_t id) {
  auto p = RtpPacket::parse(bytes);
  EXPECT_TRUE(p);
  auto v = p->extension(id);
  EXPECT_TRUE(v && v->size() == 2);
  return v ? static_cast<std::uint16_t>((*v)[0] << 8 | (*v)[1]) : 0;
}

TEST(SubscriberBandwidth, StampsTheCopyWithTheTransportsOwnNumbers) {
  SubscriberBandwidth down(5000000);
  down.setExtension(5);  // the subscriber's session calls it 5, the publisher's 3
  for (std::uint16_t i = 0; i < 3; ++i) {
    auto original = packet(3, static_cast<std::uint16_t>(9000 + i), 100);
    auto parsed = RtpPacket::parse(original);
    ASSERT_TRUE(parsed);
    const auto element = SubscriberBandwidth::find(*parsed, 3);
    ASSERT_NE(element.at, 0u);
    std::vector<std::uint8_t> copy = original;
    ASSERT_TRUE(down.stamp(copy, element, 1000 * i));
    EXPECT_EQ(twccOf(copy, 5), i) << "the transport's numbers start at 0";
    EXPECT_FALSE(RtpPacket::parse(copy)->extension(3)) << "the publisher's id is gone";
    EXPECT_EQ(RtpPacket::parse(copy)->extension(4)->size(), 1u) << "the other elements are untouched";
    EXPECT_EQ(twccOf(original, 3), 9000 + i) << "the original keeps the publisher's number";
  }
  // No element in the packet, or no id for the subscriber: nothing stamped.
  auto original = packet(3, 1, 10);
  std::vector<std::uint8_t> copy = original;
  EXPECT_FALSE(down.stamp(copy, SubscriberBandwidth::Element{}, 0));
  SubscriberBandwidth none(5000000);
  EXPECT_FALSE(none.stamp(copy, SubscriberBandwidth::find(*RtpPacket::parse(original), 3), 0));
  EXPECT_EQ(copy, original);
}

TEST(SubscriberBandwidth, FeedbackOnItsNumbersReachesTheEstimate) {
  SubscriberBandwidth down(5000000);
  down.setExtension(3);
  TwccRecorder receiver;  // the subscriber's side
  std::array<std::uint8_t, 1500> out{};
  std::int64_t now = 1'000'000;
  std::size_t known = 0;
  for (int round = 0; round < 30; ++round) {
    for (int k = 0; k < 10; ++k, now += 10000) {  // 1,000-byte packets every 10 ms: 800 kbit/s
      auto original = packet(3, 0, 1000 - 24);
      std::vector<std::uint8_t> copy = original;
      ASSERT_TRUE(down.stamp(copy, SubscriberBandwidth::find(*RtpPacket::parse(original), 3), now));
      if (k != 7) receiver.record(twccOf(copy, 3), now + 30000);  // one in ten lost
    }
    const std::size_t n = receiver.feedback(out, 1, 2);
    ASSERT_NE(n, 0u);
    auto rtcp = RtcpPacket::first(std::span<const std::uint8_t>(out.data(), n));
    ASSERT_TRUE(rtcp);
    auto feedback = TransportFeedback::parse(*rtcp);
    ASSERT_TRUE(feedback);
    known += down.onFeedback(*feedback, now);
  }
  EXPECT_GT(known, 250u);
  EXPECT_TRUE(down.current(now));
  EXPECT_NEAR(static_cast<double>(down.estimator().acknowledged()), 720000.0, 60000.0);
  EXPECT_GT(down.estimator().estimate(), 0u);
}

TEST(TwccSendHistory, KeepsNumbersForAWhileAndCountsEachOnce) {
  TwccSendHistory h;
  EXPECT_FALSE(h.take(0));
  for (std::size_t i = 0; i < 70000; ++i) h.next(static_cast<std::int64_t>(i), 100 + i % 7);
  // The last kSlots numbers are held (across the 16-bit wrap); older ones are not.
  const auto newest = static_cast<std::uint16_t>(70000 - 1);
  auto sent = h.take(newest);
  ASSERT_TRUE(sent);
  EXPECT_EQ(sent->sendUs, 69999);
  EXPECT_EQ(sent->bytes, 100u + 69999 % 7);
  EXPECT_FALSE(h.take(newest)) << "taken once";
  EXPECT_TRUE(h.take(static_cast<std::uint16_t>(70000 - TwccSendHistory::kSlots)));
  EXPECT_FALSE(h.take(static_cast<std::uint16_t>(70000 - TwccSendHistory::kSlots - 1)));
}

}  // namespace
}  // namespace aerie
