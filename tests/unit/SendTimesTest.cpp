// aerie-bot's send-time table, its abs-send-time stamps and its latency histogram.
#include <gtest/gtest.h>

#include "AbsSendTime.hpp"
#include "LatencyHistogram.hpp"
#include "SendTimes.hpp"

namespace aerie::bot {
namespace {

using Clock = std::chrono::steady_clock;

TEST(SendTimesTest, FindsWhatWasRecordedByItsPublisherAndStamp) {
  const auto epoch = Clock::now();
  SendTimes times(4, epoch);
  const auto t = epoch + std::chrono::microseconds(123456789);
  times.record(3, 0xFFFFFF, t);
  EXPECT_EQ(times.find(3, 0xFFFFFF), t);  // to the microsecond
  EXPECT_FALSE(times.find(2, 0xFFFFFF));  // another publisher
  EXPECT_FALSE(times.find(4, 0xFFFFFF));  // not ours
  EXPECT_FALSE(times.find(3, 0xFFFFFE));  // never recorded
  times.record(4, 1, t);                  // ignored
  EXPECT_FALSE(times.find(4, 1));
  // A stamp kSlots further on takes the slot: the old one is gone.
  const std::uint32_t later = (0xFFFFFF + SendTimes::kSlots) & 0xFFFFFF;
  times.record(3, later, t + std::chrono::seconds(1));
  EXPECT_FALSE(times.find(3, 0xFFFFFF));
  EXPECT_EQ(times.find(3, later), t + std::chrono::seconds(1));
  // The run's first microsecond is a time like any other (not an empty slot).
  times.record(0, 0, epoch);
  EXPECT_EQ(times.find(0, 0), epoch);
}

TEST(AbsSendTimeTest, SixPointEighteenSecondsUniquePerPublisherAndWrapping) {
  using std::chrono::microseconds;
  EXPECT_EQ(AbsSendTime::ticks(std::chrono::seconds(1)), 262144u);
  EXPECT_EQ(AbsSendTime::ticks(microseconds(1'000'000'000)) & AbsSendTime::kMask,
            (1000ull * 262144u) & AbsSendTime::kMask);
  AbsSendTime stamper;
  // Two packets in one tick (3.8 µs): the second is a tick ahead; then time catches up.
  EXPECT_EQ(stamper.next(std::chrono::seconds(2)), 2u * 262144u);
  EXPECT_EQ(stamper.next(std::chrono::seconds(2) + microseconds(1)), 2u * 262144u + 1);
  EXPECT_EQ(stamper.next(std::chrono::seconds(2) + microseconds(2)), 2u * 262144u + 2);
  EXPECT_EQ(stamper.next(std::chrono::seconds(3)), 3u * 262144u);
  // 64 s wrap the 24 bits.
  EXPECT_EQ(stamper.next(std::chrono::seconds(64 + 3)), 3u * 262144u);
  std::uint8_t bytes[3];
  AbsSendTime::write(bytes, 0xABCDEF);
  EXPECT_EQ(bytes[0], 0xAB);
  EXPECT_EQ(bytes[2], 0xEF);
  EXPECT_EQ(AbsSendTime::read(bytes), 0xABCDEFu);
  EXPECT_FALSE(AbsSendTime::read(std::span<const std::uint8_t>(bytes, 2)));
}

TEST(LatencyHistogramTest, QuantilesAtMicrosecondAndCoarserResolution) {
  LatencyHistogram h;
  EXPECT_EQ(h.quantile(0.5), 0);
  for (int i = 1; i <= 100; ++i) h.add(i * 10);  // 10 µs .. 1 ms
  EXPECT_EQ(h.count(), 100u);
  EXPECT_EQ(h.quantile(0.5), 500);
  EXPECT_EQ(h.quantile(0.99), 990);
  EXPECT_EQ(h.quantile(1.0), 1000);
  LatencyHistogram slow;
  slow.add(25'050);     // 100 µs buckets above 10 ms
  slow.add(5'000'000);  // past 1 s: the last bucket, and the max
  h.merge(slow);
  EXPECT_EQ(h.count(), 102u);
  EXPECT_EQ(h.max(), 5'000'000);
  EXPECT_EQ(h.quantile(0.99), 25'000);  // the 101st of 102
  EXPECT_EQ(h.quantile(1.0), 1'000'000);
}

}  // namespace
}  // namespace aerie::bot
