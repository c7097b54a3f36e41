// ClientTable: the shard's transports by room and sid, publishers by every SSRC they send, and
// subscribers by track; a client that goes takes its tracks, their subscribers and its own
// subscriptions out of the tables. And AddressKey, the routing key of a remote address.
#include <gtest/gtest.h>

#include <memory>
#include <unordered_set>

#include "sfu/AddressKey.hpp"
#include "sfu/ClientTable.hpp"

namespace aerie {
namespace {

MediaClient& add(ClientTable& t, const char* room, const char* sid) {
  auto c = std::make_unique<MediaClient>();
  c->roomKey = room;
  c->sid = sid;
  MediaClient& ref = *c;
  t.byKey.emplace(ClientTable::key(room, sid), std::move(c));
  return ref;
}

// A simulcast video track 100 (layers 101, 102 with RTX 201) and an audio track 300.
void publish(ClientTable& t, MediaClient& c) {
  PublishedTrack video;
  video.ssrc = 100;
  video.video = true;
  video.layers.resize(2);
  video.layers[0].ssrc = 101;
  video.layers[1].ssrc = 102;
  video.layers[1].rtxSsrc = 201;
  c.published.push_back(std::move(video));
  PublishedTrack audio;
  audio.ssrc = 300;
  c.published.push_back(std::move(audio));
  for (std::uint32_t ssrc : {100u, 101u, 102u, 201u, 300u}) t.bySsrc[ssrc] = &c;
}

TEST(ClientTableTest, FindsByRoomAndSid) {
  ClientTable t;
  MediaClient& a = add(t, "room1", "a");
  add(t, "room2", "a");
  EXPECT_EQ(t.find("room1", "a"), &a);
  EXPECT_NE(t.find("room2", "a"), &a);
  EXPECT_EQ(t.find("room1", "b"), nullptr);
  EXPECT_NE(ClientTable::key("r", "ab"), ClientTable::key("ra", "b"));
}

TEST(ClientTableTest, TrackOfKnowsLayersAndRtx) {
  ClientTable t;
  MediaClient& a = add(t, "room", "a");
  publish(t, a);
  bool rtx = true;
  int layer = 0;
  EXPECT_EQ(a.trackOf(100, rtx, layer), &a.published[0]);
  EXPECT_FALSE(rtx);
  EXPECT_EQ(layer, -1);
  EXPECT_EQ(a.trackOf(201, rtx, layer), &a.published[0]);
  EXPECT_TRUE(rtx);
  EXPECT_EQ(layer, 1);
  EXPECT_EQ(a.trackOf(999, rtx, layer), nullptr);
  EXPECT_EQ(t.publishedTrack(300), &a.published[1]);
  EXPECT_EQ(t.publishedTrack(101), nullptr);  // a layer's SSRC is not a track's
}

TEST(ClientTableTest, WithdrawTakesTracksSubscribersAndSubscriptions) {
  ClientTable t;
  MediaClient& a = add(t, "room", "a");
  MediaClient& b = add(t, "room", "b");
  publish(t, a);
  t.bySsrc[500] = &b;
  t.subscribers[100].push_back(Subscription{&b, std::nullopt});
  t.subscribers[500].push_back(Subscription{&a, std::nullopt});
  EXPECT_NE(t.subscriptionOf(100, b), nullptr);
  EXPECT_EQ(t.subscriptionOf(100, a), nullptr);

  t.withdraw(a);
  for (std::uint32_t ssrc : {100u, 101u, 102u, 201u, 300u}) EXPECT_EQ(t.bySsrc.count(ssrc), 0u) << ssrc;
  EXPECT_EQ(t.subscribers.count(100), 0u);
  EXPECT_EQ(t.subscriptionOf(500, a), nullptr);
  EXPECT_EQ(t.bySsrc.at(500), &b);
  EXPECT_EQ(t.byKey.size(), 2u);  // the client itself stays until its owner erases it
}

TEST(AddressKeyTest, SameAddressSameKeyAndHash) {
  stun::Address a;
  a.bytes[0] = 127;
  a.bytes[3] = 1;
  a.port = 5000;
  stun::Address b = a;
  b.port = 5001;
  stun::Address c = a;
  c.ipv6 = true;
  EXPECT_EQ(keyOf(a), keyOf(a));
  EXPECT_FALSE(keyOf(a) == keyOf(b));
  EXPECT_FALSE(keyOf(a) == keyOf(c));
  AddressKey::Hash hash;
  EXPECT_EQ(hash(keyOf(a)), hash(keyOf(a)));
  std::unordered_set<AddressKey, AddressKey::Hash> set{keyOf(a), keyOf(b), keyOf(c), keyOf(a)};
  EXPECT_EQ(set.size(), 3u);
}

}  // namespace
}  // namespace aerie
