// BandwidthEstimator (with DelayTrend): a subscriber's downlink simulated as a link of a given
// capacity with a queue in front (a packet leaves once the link has sent the ones before it) and,
// where asked, a share of packets lost; feedback every 100 ms for what arrived by then. Under
// capacity the estimate rises; a queue that grows brings it below the capacity; loss over 10 %
// brings it down; a REMB caps it.
#include <gtest/gtest.h>

#include <algorithm>
#include <cstdint>
#include <deque>

#include "sfu/BandwidthEstimator.hpp"
#include "sfu/BitrateWindow.hpp"

namespace aerie {
namespace {

constexpr std::uint32_t kPacket = 1200;

struct Link {
  double capacityBps;
  int lossEvery = 0;            // every n-th packet is lost (0: none)
  std::int64_t propagationUs = 20000;
  std::int64_t freeAtUs = 0;    // when the link has sent what it holds
  std::uint64_t sent = 0;

  // When a packet sent at `sendUs` arrives, or -1 if it is lost.
  std::int64_t carry(std::int64_t sendUs) {
    ++sent;
    if (lossEvery != 0 && sent % static_cast<std::uint64_t>(lossEvery) == 0) return -1;
    const auto serialization = static_cast<std::int64_t>(kPacket * 8 * 1e6 / capacityBps);
    freeAtUs = std::max(freeAtUs, sendUs) + serialization;
    return freeAtUs + propagationUs;
  }
};

struct InFlight {
  std::int64_t sendUs;
  std::int64_t arrivalUs;  // -1: lost
};

// Sends at `rateBps(estimate)` over `link` for `seconds`, feeding back every 100 ms what
// arrived (and what was lost among the packets before the last arrival). Returns the estimate.
template <class Rate>
std::uint64_t run(BandwidthEstimator& e, Link& link, double seconds, Rate rateBps, std::int64_t& nowUs) {
  std::deque<InFlight> flight;
  const std::int64_t end = nowUs + static_cast<std::int64_t>(seconds * 1e6);
  std::int64_t nextSendUs = nowUs;
  std::int64_t nextFeedbackUs = nowUs + 100000;
  while (nowUs < end) {
    nowUs += 1000;
    while (nextSendUs <= nowUs) {
      flight.push_back({nextSendUs, link.carry(nextSendUs)});
      const double bps = std::max(1.0, static_cast<double>(rateBps(e.estimate())));
      nextSendUs += static_cast<std::int64_t>(kPacket * 8 * 1e6 / bps);
    }
    if (nowUs < nextFeedbackUs) continue;
    nextFeedbackUs += 100000;
    // Packets up to the last that has arrived by now are reported, in the order sent.
    std::size_t last = 0;
    bool any = false;
    for (std::size_t i = 0; i < flight.size(); ++i) {
      if (flight[i].arrivalUs >= 0 && flight[i].arrivalUs <= nowUs) {
        last = i;
        any = true;
      }
    }
    if (!any) continue;
    for (std::size_t i = 0; i <= last; ++i) {
      const auto& p = flight.front();
      e.onPacket(p.sendUs, kPacket, p.arrivalUs >= 0, p.arrivalUs);
      flight.pop_front();
    }
    e.onFeedback(nowUs);
  }
  return e.estimate();
}

TEST(BandwidthEstimator, RisesWhileTheLinkCarriesEverything) {
  BandwidthEstimator e(300000, 5000000);
  Link link{2e6};
  std::int64_t now = 0;
  // Sends a steady 300 kbit/s, well under the 2 Mbit/s link: no queue, no loss.
  const auto after = run(e, link, 6.0, [](std::uint64_t) { return 300000; }, now);
  EXPECT_GT(after, 600000u) << "the estimate rose above what is sent";
  EXPECT_EQ(e.signal(), DelayTrend::Signal::Normal);
  EXPECT_NEAR(static_cast<double>(e.acknowledged()), 300000.0, 30000.0);
}

TEST(BandwidthEstimator, AGrowingQueueBringsItBelowTheCapacity) {
  BandwidthEstimator e(3000000, 5000000);
  Link link{1e6};
  std::int64_t now = 0;
  // 1.5 Mbit/s into a 1 Mbit/s link: the queue (and the one-way delay) grows; nothing is lost.
  const auto after = run(e, link, 3.0, [](std::uint64_t) { return 1500000; }, now);
  EXPECT_LT(after, 1000000u) << "below the capacity";
  EXPECT_GT(after, 500000u) << "near what the link carries, not collapsed";
  EXPECT_LT(e.delayBased(), e.lossBased()) << "it is the delay that said so";
}

TEST(BandwidthEstimator, FollowsALinkWhenItSendsAtTheEstimate) {
  BandwidthEstimator e(3000000, 5000000);
  Link link{1e6};
  std::int64_t now = 0;
  run(e, link, 20.0, [](std::uint64_t est) { return est; }, now);
  // Over the last 10 s, the estimate stays around the capacity: it neither runs away above it
  // nor sticks far below.
  double sum = 0;
  double highest = 0;
  for (int i = 0; i < 100; ++i) {
    const auto v = static_cast<double>(run(e, link, 0.1, [](std::uint64_t est) { return est; }, now));
    sum += v;
    highest = std::max(highest, v);
  }
  EXPECT_GT(sum / 100, 0.5e6);
  EXPECT_LT(sum / 100, 1.3e6);
  EXPECT_LT(highest, 2e6);
}

TEST(BandwidthEstimator, LossOverTenPercentBringsItDown) {
  BandwidthEstimator e(3000000, 5000000);
  Link link{10e6, 4};  // every 4th packet lost: 25 %
  std::int64_t now = 0;
  const auto after = run(e, link, 2.0, [](std::uint64_t) { return 800000; }, now);
  EXPECT_LT(after, 800000u * 9 / 10) << "below what is sent";
  EXPECT_LT(e.lossBased(), e.delayBased()) << "it is the loss that said so";
  // 2 % loss does not.
  BandwidthEstimator calm(1000000, 5000000);
  Link light{10e6, 50};
  std::int64_t t = 0;
  EXPECT_GE(run(calm, light, 2.0, [](std::uint64_t) { return 800000; }, t), 1000000u);
}

TEST(BandwidthEstimator, RembCapsItAndStandsInWithoutFeedback) {
  BandwidthEstimator e(2000000, 5000000);
  EXPECT_FALSE(e.current(0));
  EXPECT_EQ(e.estimate(), 2000000u);
  e.onRemb(400000, 1000);
  EXPECT_TRUE(e.current(2000));
  EXPECT_EQ(e.estimate(), 400000u);
  EXPECT_FALSE(e.current(1000 + BandwidthEstimator::kStaleUs));
}

TEST(BandwidthEstimator, StaysWithinItsBounds) {
  BandwidthEstimator e(300000, 1000000);
  Link link{50e6};
  std::int64_t now = 0;
  EXPECT_EQ(run(e, link, 20.0, [](std::uint64_t) { return 300000; }, now), 1000000u);
  BandwidthEstimator low(300000, 1000000);
  Link lossy{50e6, 2};
  std::int64_t t = 0;
  EXPECT_GE(run(low, lossy, 20.0, [](std::uint64_t est) { return est; }, t), BandwidthEstimator::kMinBps);
}

TEST(BitrateWindow, RateOverTheLastWindow) {
  BitrateWindow w(100000);  // 1 s
  EXPECT_EQ(w.bps(0), 0u);
  for (std::int64_t t = 0; t < 2000000; t += 10000) w.add(t, 1250);  // 1 Mbit/s
  EXPECT_NEAR(static_cast<double>(w.bps(2000000)), 1e6, 0.05e6);
  EXPECT_EQ(w.bps(5000000), 0u) << "nothing in the last second";
  BitrateWindow start(100000);
  start.add(0, 1250);
  start.add(100000, 1250);
  EXPECT_NEAR(static_cast<double>(start.bps(200000)), 100000.0, 1.0) << "over the time since the first add";
}

}  // namespace
}  // namespace aerie
