// LayerAllocator: a subscriber's estimate shared among the tracks it receives: one-form tracks
// first, every simulcast track at least its lowest layer, then up a layer at a time across
// tracks; down at once, up only after the higher layer has fitted for a while.
#include <gtest/gtest.h>

#include <vector>

#include "sfu/LayerAllocator.hpp"

namespace aerie {
namespace {

using Track = LayerAllocator::Track;

Track simulcast(std::uint32_t id, std::uint64_t q, std::uint64_t h, std::uint64_t f, int current) {
  Track t;
  t.id = id;
  t.layers = 3;
  t.layerBps = {q, h, f};
  t.highestActive = 2;
  t.current = current;
  return t;
}

Track single(std::uint32_t id, std::uint64_t bps) {
  Track t;
  t.id = id;
  t.layerBps[0] = bps;
  return t;
}

TEST(LayerAllocator, TheHighestLayersThatFitAfterAudio) {
  LayerAllocator a;
  std::vector<Track> tracks = {single(1, 40000), simulcast(2, 150000, 500000, 1500000, -1)};
  a.allocate(tracks, 2000000, 0);
  EXPECT_EQ(tracks[0].chosen, -1);
  EXPECT_EQ(tracks[1].chosen, 2) << "nothing sent yet: the choice applies at once";
  a.allocate(tracks, 1000000, 0);
  EXPECT_EQ(tracks[1].chosen, 1);
  a.allocate(tracks, 200000, 0);
  EXPECT_EQ(tracks[1].chosen, 0);
  a.allocate(tracks, 50000, 0);
  EXPECT_EQ(tracks[1].chosen, 0) << "the lowest layer, even when it does not fit";
}

TEST(LayerAllocator, FairAcrossTracks) {
  LayerAllocator a;
  std::vector<Track> tracks = {simulcast(1, 100000, 400000, 1200000, -1), simulcast(2, 100000, 400000, 1200000, -1),
                               simulcast(3, 100000, 400000, 1200000, -1)};
  // 1.5 Mbit/s: all three at the middle layer (3 × 400k) rather than one at the top.
  a.allocate(tracks, 1500000, 0);
  for (const auto& t : tracks) EXPECT_EQ(t.chosen, 1);
  // 1.0 Mbit/s: two in the middle, one low.
  a.allocate(tracks, 1000000, 0);
  EXPECT_EQ(tracks[0].chosen + tracks[1].chosen + tracks[2].chosen, 2);
}

TEST(LayerAllocator, NeverAboveWhatThePublisherSends) {
  LayerAllocator a;
  std::vector<Track> tracks = {simulcast(1, 100000, 400000, 0, -1)};
  tracks[0].highestActive = 1;
  a.allocate(tracks, 5000000, 0);
  EXPECT_EQ(tracks[0].chosen, 1);
}

TEST(LayerAllocator, UpOnlyAfterItHasFittedForAWhile) {
  LayerAllocator a;
  std::vector<Track> tracks = {simulcast(1, 150000, 500000, 1500000, 0)};
  std::int64_t now = 1000000;
  a.allocate(tracks, 3000000, now);
  EXPECT_EQ(tracks[0].chosen, 0) << "the subscriber gets layer 0: wait before going up";
  now += LayerAllocator::kUpHoldUs / 2;
  a.allocate(tracks, 3000000, now);
  EXPECT_EQ(tracks[0].chosen, 0);
  // The estimate dips: the wait starts over.
  a.allocate(tracks, 300000, now + 1000);
  EXPECT_EQ(tracks[0].chosen, 0);
  now += LayerAllocator::kUpHoldUs / 2 + 2000;
  a.allocate(tracks, 3000000, now);
  EXPECT_EQ(tracks[0].chosen, 0);
  now += LayerAllocator::kUpHoldUs;
  a.allocate(tracks, 3000000, now);
  EXPECT_EQ(tracks[0].chosen, 2);
  // Down is at once.
  tracks[0].current = 2;
  a.allocate(tracks, 600000, now + 1000);
  EXPECT_EQ(tracks[0].chosen, 1);
}

TEST(LayerAllocator, KeepsTheCurrentLayerWhileTheEstimateCoversMostOfIt) {
  LayerAllocator a;
  std::vector<Track> tracks = {simulcast(1, 150000, 500000, 1500000, 2)};
  a.allocate(tracks, 1300000, 0);  // 0.85 × 1.5 Mbit/s: a short overuse's cut
  EXPECT_EQ(tracks[0].chosen, 2);
  a.allocate(tracks, 1100000, 0);  // under 80 %: a real bottleneck
  EXPECT_EQ(tracks[0].chosen, 1);
  tracks[0].current = 1;
  a.allocate(tracks, 1300000, 0);
  EXPECT_EQ(tracks[0].chosen, 1) << "going up needs the full rate";
}

TEST(LayerAllocator, ARiseUndoneSoonWaitsLongerNextTime) {
  LayerAllocator a;
  std::vector<Track> tracks = {simulcast(1, 150000, 500000, 1500000, 0)};
  tracks[0].highestActive = 1;
  std::int64_t now = 0;
  auto rise = [&](std::int64_t waitUs) {
    // Fits from `now`: held for waitUs, then let through.
    a.allocate(tracks, 1000000, now);
    EXPECT_EQ(tracks[0].chosen, 0);
    a.allocate(tracks, 1000000, now + waitUs - 1000);
    EXPECT_EQ(tracks[0].chosen, 0) << waitUs;
    now += waitUs;
    a.allocate(tracks, 1000000, now);
    EXPECT_EQ(tracks[0].chosen, 1) << waitUs;
    tracks[0].current = 1;
  };
  auto fail = [&]() {
    now += 1000000;  // a second later, the layer does not fit: down
    a.allocate(tracks, 200000, now);
    EXPECT_EQ(tracks[0].chosen, 0);
    tracks[0].current = 0;
    now += 100000;
  };
  rise(LayerAllocator::kUpHoldUs);
  fail();
  rise(2 * LayerAllocator::kUpHoldUs);
  fail();
  rise(4 * LayerAllocator::kUpHoldUs);
  fail();
  rise(LayerAllocator::kMaxUpHoldUs);
  // This time it holds past kFailedRiseUs: the wait is back to the first.
  now += LayerAllocator::kFailedRiseUs;
  a.allocate(tracks, 1000000, now);
  EXPECT_EQ(tracks[0].chosen, 1);
  fail();
  rise(LayerAllocator::kUpHoldUs);
}

}  // namespace
}  // namespace aerie
