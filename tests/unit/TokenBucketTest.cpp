#include <gtest/gtest.h>

#include "core/Limits.hpp"
#include "hub/Peer.hpp"
#include "hub/TokenBucket.hpp"

namespace aerie {
namespace {

TEST(TokenBucketTest, StartsFullAndAllowsTheBurst) {
  TokenBucket bucket(3, 1, 0);
  EXPECT_TRUE(bucket.take(0));
  EXPECT_TRUE(bucket.take(0));
  EXPECT_TRUE(bucket.take(0));
  EXPECT_FALSE(bucket.take(0));
}

TEST(TokenBucketTest, RefillsAtTheRate) {
  TokenBucket bucket(2, 5, 0);  // one token every 200 ms
  ASSERT_TRUE(bucket.take(0));
  ASSERT_TRUE(bucket.take(0));
  EXPECT_FALSE(bucket.take(100));
  EXPECT_TRUE(bucket.take(200));
  EXPECT_FALSE(bucket.take(200));
}

TEST(TokenBucketTest, NeverHoldsMoreThanTheBurst) {
  TokenBucket bucket(2, 100, 0);
  EXPECT_DOUBLE_EQ(bucket.available(60'000), 2.0);
}

TEST(TokenBucketTest, ARefusedTakeCostsNothing) {
  TokenBucket bucket(1, 1, 0);
  ASSERT_TRUE(bucket.take(0));
  for (int i = 0; i < 10; ++i) EXPECT_FALSE(bucket.take(500));
  EXPECT_TRUE(bucket.take(1000));
}

TEST(TokenBucketTest, AClockSteppingBackDoesNotRefillOrDrain) {
  TokenBucket bucket(1, 1, 10'000);
  ASSERT_TRUE(bucket.take(10'000));
  EXPECT_FALSE(bucket.take(0));
  EXPECT_TRUE(bucket.take(11'000));
}

TEST(TokenBucketTest, CostAboveOne) {
  TokenBucket bucket(5, 1, 0);
  EXPECT_TRUE(bucket.take(0, 4));
  EXPECT_FALSE(bucket.take(0, 2));
  EXPECT_TRUE(bucket.take(0, 1));
}

// Peer::charge turns the buckets into verdicts: warn at most once per interval, disconnect
// after a streak of drops as long as Limits::overBudgetDisconnectMs.
class NullSink : public PeerSink {
 public:
  void send(std::shared_ptr<const std::string>) override {}
  void close() override {}
};

Limits smallLimits() {
  Limits l;
  l.broadcastBurst = 2;
  l.broadcastPerSecond = 1;
  l.targetedBurst = 2;
  l.targetedPerSecond = 1;
  return l;
}

TEST(PeerRateTest, WarnsOncePerIntervalThenDisconnectsAfterAStreak) {
  const Limits limits = smallLimits();
  Peer peer(1, std::make_shared<NullSink>(), limits, 0);
  EXPECT_EQ(peer.charge(RateBucket::Broadcast, 0), RateVerdict::Pass);
  EXPECT_EQ(peer.charge(RateBucket::Broadcast, 0), RateVerdict::Pass);
  EXPECT_EQ(peer.charge(RateBucket::Broadcast, 0), RateVerdict::DropAndWarn);
  EXPECT_EQ(peer.charge(RateBucket::Broadcast, 10), RateVerdict::Drop);
  EXPECT_EQ(peer.charge(RateBucket::Broadcast, 999), RateVerdict::Drop);   // warned 999 ms ago
  EXPECT_EQ(peer.charge(RateBucket::Broadcast, 1000), RateVerdict::Pass);  // a token refilled
  EXPECT_EQ(peer.charge(RateBucket::Broadcast, 1000), RateVerdict::DropAndWarn);
  // Keep flooding every 100 ms: one message per second still gets through, but the streak
  // does not end, and at 10 s the socket goes.
  RateVerdict last = RateVerdict::Pass;
  std::int64_t t = 1000;
  while (last != RateVerdict::Disconnect && t < 20'000) {
    t += 100;
    last = peer.charge(RateBucket::Broadcast, t);
  }
  EXPECT_EQ(last, RateVerdict::Disconnect);
  EXPECT_GE(t, static_cast<std::int64_t>(limits.overBudgetDisconnectMs));
  EXPECT_LE(t, static_cast<std::int64_t>(limits.overBudgetDisconnectMs) + 1000);
}

TEST(PeerRateTest, AQuietGapEndsTheStreak) {
  const Limits limits = smallLimits();
  Peer peer(1, std::make_shared<NullSink>(), limits, 0);
  std::int64_t t = 0;
  // Over budget in bursts, with quiet gaps longer than overBudgetGapMs between them: never
  // disconnected however long it goes on.
  for (int round = 0; round < 30; ++round) {
    for (int i = 0; i < 5; ++i)
      EXPECT_NE(peer.charge(RateBucket::Broadcast, t), RateVerdict::Disconnect);
    t += limits.overBudgetGapMs + 1500;
  }
}

TEST(PeerRateTest, BucketsAreIndependentAndNoneIsFree) {
  const Limits limits = smallLimits();
  Peer peer(1, std::make_shared<NullSink>(), limits, 0);
  EXPECT_EQ(peer.charge(RateBucket::Broadcast, 0), RateVerdict::Pass);
  EXPECT_EQ(peer.charge(RateBucket::Broadcast, 0), RateVerdict::Pass);
  EXPECT_NE(peer.charge(RateBucket::Broadcast, 0), RateVerdict::Pass);
  EXPECT_EQ(peer.charge(RateBucket::Targeted, 0), RateVerdict::Pass);
  for (int i = 0; i < 100; ++i) EXPECT_EQ(peer.charge(RateBucket::None, 0), RateVerdict::Pass);
}

TEST(PeerRateTest, DefaultsLetAnIceRestartInATenMeshThrough) {
  // Spec section 4: 9 peers x (restart + offer/answer + ~20 candidates + endOfCandidates).
  const Limits limits;
  Peer peer(1, std::make_shared<NullSink>(), limits, 0);
  for (int i = 0; i < 9 * 23; ++i)
    ASSERT_EQ(peer.charge(RateBucket::Targeted, 0), RateVerdict::Pass) << i;
}

}  // namespace
}  // namespace aerie
