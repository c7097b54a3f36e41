// LayerSwitch: a subscriber's simulcast layer, switched at key frames, made one continuous
// stream, stepped down on loss and up again after a quiet while.
#include <gtest/gtest.h>

#include "sfu/LayerSwitch.hpp"

namespace aerie {
namespace {

using V = LayerSwitch::Verdict;
using namespace std::chrono_literals;

TEST(LayerSwitch, StartsOnTheFirstKeyFrameAndForwardsThatLayer) {
  LayerSwitch s(3);
  EXPECT_EQ(s.onPacket(1, false, 100, 9000), V::NeedKeyframe);   // nothing yet: any layer's key frame will do
  EXPECT_EQ(s.onPacket(2, false, 500, 50000), V::NeedKeyframe);  // the target: ask for a key frame
  EXPECT_EQ(s.onPacket(1, true, 101, 12000), V::Forward);       // any layer's key frame starts it
  EXPECT_EQ(s.current(), 1);
  EXPECT_EQ(s.outSequence(101), 101);
  EXPECT_EQ(s.outTimestamp(12000), 12000u);
  EXPECT_EQ(s.onPacket(0, false, 7, 1), V::Drop);
  EXPECT_EQ(s.onPacket(1, false, 102, 12000), V::Forward);
}

TEST(LayerSwitch, ASwitchKeepsSequenceAndTimestampsGoingOn) {
  LayerSwitch s(3);
  ASSERT_EQ(s.onPacket(0, true, 1000, 90000), V::Forward);
  ASSERT_EQ(s.onPacket(0, false, 1001, 93000), V::Forward);  // next frame: 3000 ticks later
  // The target (2) sends a key frame with numbers of its own.
  ASSERT_EQ(s.onPacket(2, false, 40000, 777000), V::NeedKeyframe);
  ASSERT_EQ(s.onPacket(2, true, 40001, 780000), V::Forward);
  EXPECT_EQ(s.current(), 2);
  EXPECT_EQ(s.outSequence(40001), 1002);
  EXPECT_EQ(s.outTimestamp(780000), 96000u);
  EXPECT_EQ(s.onPacket(0, false, 1002, 96000), V::Drop) << "the old layer stops";
  // NACK mapping: after the switch back to the new layer's numbers; before it unknown.
  auto o = s.original(1003);
  ASSERT_TRUE(o);
  EXPECT_EQ(o->first, 2);
  EXPECT_EQ(o->second, 40002);
  EXPECT_FALSE(s.original(1001));
}

TEST(LayerSwitch, LossStepsDownAndAQuietWhileProbesUp) {
  LayerSwitch s(3);
  const auto t0 = LayerSwitch::Clock::time_point{} + 100s;
  ASSERT_EQ(s.onPacket(2, true, 1, 0), V::Forward);
  s.onLoss(60, t0);  // ~23 % lost
  EXPECT_EQ(s.target(), 1);
  s.onLoss(60, t0 + 200ms);
  EXPECT_EQ(s.target(), 1) << "one step per second at most";
  ASSERT_EQ(s.onPacket(1, true, 50, 3000), V::Forward);
  EXPECT_EQ(s.current(), 1);
  s.onLoss(0, t0 + 3s);
  EXPECT_EQ(s.target(), 1) << "held after a step down";
  s.onLoss(0, t0 + 7s);
  EXPECT_EQ(s.target(), 2) << "quiet: probe the next layer up";
}

TEST(LayerSwitch, TheAimStaysWithinTheLayersThePublisherSends) {
  LayerSwitch s(3);
  s.setHighestActive(1);  // the picture is too small for the third
  EXPECT_EQ(s.target(), 1);
  ASSERT_EQ(s.onPacket(1, true, 1, 0), V::Forward);
  s.onLoss(0, LayerSwitch::Clock::time_point{} + 100s);
  EXPECT_EQ(s.target(), 1) << "no probe above what is sent";
}

TEST(LayerSwitch, OneLayerNeverSwitches) {
  LayerSwitch s(1);
  ASSERT_EQ(s.onPacket(0, true, 5, 5), V::Forward);
  s.onLoss(200, LayerSwitch::Clock::time_point{} + 10s);
  EXPECT_EQ(s.target(), 0);
}

TEST(LayerSwitch, PictureIdsAndTl0PicIdxCarryOnAcrossASwitch) {
  LayerSwitch s(3);
  using Ids = LayerSwitch::Vp8Ids;
  ASSERT_EQ(s.onPacket(2, true, 1000, 90000, Ids{20000, true, 40}), V::Forward);
  ASSERT_EQ(s.onPacket(2, false, 1001, 93000, Ids{20001, true, 41}), V::Forward);
  EXPECT_EQ(s.outPictureId(20001), 20001);
  // Down to layer 0, whose numbers are far behind: its key frame is the next picture.
  s.onLoss(200, LayerSwitch::Clock::now());
  ASSERT_EQ(s.target(), 1);
  ASSERT_EQ(s.onPacket(1, true, 7, 5000, Ids{3, true, 250}), V::Forward);
  EXPECT_EQ(s.outPictureId(3), 20002);
  EXPECT_EQ(s.outTl0PicIdx(250), 42);
  ASSERT_EQ(s.onPacket(1, false, 8, 8000, Ids{4, true, 251}), V::Forward);
  EXPECT_EQ(s.outPictureId(4), 20003);
  // Wrapping: 15-bit picture IDs and 8-bit indexes go round.
  EXPECT_EQ(s.outPictureId(3 + (0x8000 - 20002)), 0);
  EXPECT_EQ(s.outTl0PicIdx(255), 47);
  EXPECT_EQ(s.outTl0PicIdx(10), 58);
}

TEST(LayerSwitch, ASevenBitPictureIdWrapsAtSevenBits) {
  LayerSwitch s(2);
  using Ids = LayerSwitch::Vp8Ids;
  ASSERT_EQ(s.onPacket(1, true, 1, 0, Ids{126, false, -1}), V::Forward);
  ASSERT_EQ(s.onPacket(1, false, 2, 3000, Ids{127, false, -1}), V::Forward);
  s.onLoss(200, LayerSwitch::Clock::now());
  ASSERT_EQ(s.onPacket(0, true, 50, 9000, Ids{10, false, -1}), V::Forward);
  EXPECT_EQ(s.outPictureId(10) & 0x7F, 0);  // after 127 comes 0
  EXPECT_EQ(s.outPictureId(11) & 0x7F, 1);
}

TEST(LayerSwitch, ASubscriptionCappedBeforeTheHigherLayersArriveMovesUpWhenTheyDo) {
  LayerSwitch s(3);
  s.setHighestActive(0);  // only q has sent yet
  EXPECT_EQ(s.target(), 0);
  ASSERT_EQ(s.onPacket(0, true, 10, 0), V::Forward);
  s.setHighestActive(2);  // h and f start
  EXPECT_EQ(s.target(), 2) << "the cap lifts: the aim was never lowered";
  s.aim(1);
  s.setHighestActive(0);
  s.setHighestActive(2);
  EXPECT_EQ(s.target(), 1) << "an aim below the cap stays";
}

}  // namespace
}  // namespace aerie
