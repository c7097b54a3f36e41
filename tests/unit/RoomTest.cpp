#include <gtest/gtest.h>

#include "hub/Room.hpp"

namespace aerie {
namespace {

TEST(RoomTest, MembersKeepJoinOrder) {
  Room room("key", "realm", "name");
  EXPECT_TRUE(room.empty());
  EXPECT_TRUE(room.add("a", 1));
  EXPECT_TRUE(room.add("b", 2));
  EXPECT_TRUE(room.add("c", 3));
  const auto snap = room.snapshot();
  EXPECT_EQ(snap.roomKey, "key");
  EXPECT_EQ(snap.realm, "realm");
  EXPECT_EQ(snap.name, "name");
  EXPECT_FALSE(snap.locked);
  EXPECT_EQ(snap.peers, (std::vector<std::string>{"a", "b", "c"}));
}

TEST(RoomTest, AddTwiceAndRemoveTwiceAreRefused) {
  Room room("key", "realm", "name");
  EXPECT_TRUE(room.add("a", 1));
  EXPECT_FALSE(room.add("a", 2));
  EXPECT_EQ(room.size(), 1u);
  EXPECT_TRUE(room.remove("a"));
  EXPECT_FALSE(room.remove("a"));
  EXPECT_TRUE(room.empty());
}

TEST(RoomTest, ContainsAndTieBreakers) {
  Room room("key", "realm", "name");
  room.add("a", 7);
  EXPECT_TRUE(room.contains("a"));
  EXPECT_FALSE(room.contains("b"));
  EXPECT_TRUE(room.tieBreakerTaken(7));
  EXPECT_FALSE(room.tieBreakerTaken(8));
  room.remove("a");
  EXPECT_FALSE(room.tieBreakerTaken(7));
}

TEST(RoomTest, LockIsAFlagOnTheRoom) {
  Room room("key", "realm", "name");
  room.setLocked(true);
  EXPECT_TRUE(room.locked());
  EXPECT_TRUE(room.snapshot().locked);
  room.setLocked(false);
  EXPECT_FALSE(room.locked());
}

}  // namespace
}  // namespace aerie
