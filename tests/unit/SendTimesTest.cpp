// aerie-bot's send-time table and latency histogram.
#include <gtest/gtest.h>

#include "LatencyHistogram.hpp"
#include "SendTimes.hpp"

namespace aerie::bot {
namespace {

using Clock = std::chrono::steady_clock;

TEST(SendTimesTest, FindsWhatWasRecordedByItsSsrcAndSequence) {
  SendTimes times(5000, 4);
  const auto t = Clock::time_point(std::chrono::microseconds(123456789));
  times.record(5003, 65535, t);
  EXPECT_EQ(times.find(5003, 65535), t);
  EXPECT_FALSE(times.find(5002, 65535));  // another track
  EXPECT_FALSE(times.find(5004, 1));      // not ours (above)
  EXPECT_FALSE(times.find(4999, 1));      // not ours (below)
  times.record(4999, 1, t);               // ignored
  // kSlots packets later the slot holds another sequence number: the old one is gone.
  times.record(5003, static_cast<std::uint16_t>(65535 + SendTimes::kSlots), t + std::chrono::seconds(1));
  EXPECT_FALSE(times.find(5003, 65535));
  EXPECT_EQ(times.find(5003, static_cast<std::uint16_t>(65535 + SendTimes::kSlots)), t + std::chrono::seconds(1));
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
