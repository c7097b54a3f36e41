// Hub shards: rooms spread over several Hubs, peers handed to their room's shard, privileged
// requests gathered from every shard. The link between the shards queues each call and runs it
// later, as the transport posts to another loop; the server's HubPort does the same over Asio
// (tests/integration/shards.test.mjs drives that through real sockets).
#include <deque>
#include <functional>

#include "HubFixture.hpp"

namespace aerie::hubtest {
namespace {

class ShardedSink : public RecordingSink {
 public:
  void rehome(unsigned s) override { shard = s; }
  unsigned shard = 0;
};

class QueuedLink : public ShardLink {
 public:
  explicit QueuedLink(std::vector<std::unique_ptr<Hub>>& hubs) : hubs_(hubs) {}

  void handOff(unsigned shard, std::unique_ptr<Peer> peer, JoinGrant grant,
               std::string joinJson) override {
    ++handOffs;
    auto moving = std::make_shared<std::unique_ptr<Peer>>(std::move(peer));
    queue_.push_back([this, shard, moving, grant = std::move(grant), joinJson] {
      hubs_[shard]->adopt(std::move(*moving), grant, joinJson, 0);
    });
  }
  void gatherPeers(unsigned from, std::uint64_t requester, std::string realm,
                   bool showAll) override {
    queue_.push_back([this, from, requester, realm, showAll] {
      PeerListPart merged;
      for (auto& hub : hubs_) {
        for (auto& [name, sids] : hub->peersOf(realm, showAll)) {
          merged[name].insert(merged[name].end(), sids.begin(), sids.end());
        }
      }
      hubs_[from]->deliverPeerList(requester, merged);
    });
  }
  void gatherIntroduce(unsigned from, std::uint64_t requester, std::string realm,
                       std::string sendingId, std::string receivingId) override {
    queue_.push_back([=, this] {
      IntroduceProbe merged;
      for (auto& hub : hubs_) {
        auto p = hub->introduceHere(realm, sendingId, receivingId);
        merged.sendingFound |= p.sendingFound;
        merged.receivingFound |= p.receivingFound;
        merged.sent |= p.sent;
      }
      auto failure = Hub::introduceFailure(merged, sendingId, receivingId);
      if (!failure.empty()) hubs_[from]->deliverIntroduceError(requester, failure, sendingId, receivingId);
    });
  }
  void runAll() {
    while (!queue_.empty()) {
      auto task = std::move(queue_.front());
      queue_.pop_front();
      task();
    }
  }

  int handOffs = 0;

 private:
  std::vector<std::unique_ptr<Hub>>& hubs_;
  std::deque<std::function<void()>> queue_;
};

struct ShardClient {
  Hub::ConnId id = 0;
  std::shared_ptr<ShardedSink> sink;
  std::string sid;
};

class HubShardsTest : public ::testing::Test {
 protected:
  static constexpr unsigned kShards = 3;

  HubShardsTest() : link_(hubs_) {
    for (unsigned i = 0; i < kShards; ++i) {
      hubs_.push_back(std::make_unique<Hub>(limits_, auth_, ShardPlan{i, kShards}));
      hubs_.back()->setShardLink(&link_);
    }
  }

  // A room name whose room lives on `shard`.
  static std::string roomOn(unsigned shard, int n = 0) {
    for (int i = 0;; ++i) {
      std::string rid = "room-" + std::to_string(shard) + "-" + std::to_string(n) + "-" + std::to_string(i);
      if (Hub::shardOf(rid, kShards) == shard) return rid;
    }
  }

  ShardClient connect(unsigned shard) {
    ShardClient c;
    c.sink = std::make_shared<ShardedSink>();
    c.sink->shard = shard;
    c.id = hubs_[shard]->connect(c.sink, 0);
    return c;
  }
  void send(const ShardClient& c, const json::object& msg) {
    hubs_[c.sink->shard]->onMessage(c.id, json::serialize(msg), 0);
    link_.runAll();
  }
  void join(ShardClient& c, std::string_view rid, json::object extra = {}) {
    extra["type"] = "joinRoom";
    extra["rid"] = rid;
    send(c, extra);
    auto inRoom = c.sink->ofType("inRoom");
    c.sid = inRoom.empty() ? "" : std::string(inRoom.back().at("sid").as_string());
    c.sink->clear();
  }

  Limits limits_;
  FakeAuthorizer auth_;
  std::vector<std::unique_ptr<Hub>> hubs_;
  QueuedLink link_;
};

TEST_F(HubShardsTest, ShardOfIsStableAndSpreadsRooms) {
  EXPECT_EQ(Hub::shardOf("anything", 1), 0u);
  EXPECT_EQ(Hub::shardOf("room-a", kShards), Hub::shardOf("room-a", kShards));
  std::vector<int> perShard(kShards);
  for (int i = 0; i < 300; ++i) ++perShard[Hub::shardOf("room-" + std::to_string(i), kShards)];
  for (int n : perShard) EXPECT_GT(n, 60) << "rooms must spread over the shards";
}

TEST_F(HubShardsTest, ConnectionIdsAreUniqueAcrossShards) {
  auto a = connect(0);
  auto b = connect(1);
  auto c = connect(2);
  EXPECT_NE(a.id, b.id);
  EXPECT_NE(b.id, c.id);
  EXPECT_NE(a.id, c.id);
}

TEST_F(HubShardsTest, AJoinMovesThePeerToItsRoomsShard) {
  auto a = connect(0);
  join(a, roomOn(2));
  ASSERT_FALSE(a.sid.empty()) << "the peer got inRoom from the room's shard";
  EXPECT_EQ(a.sink->shard, 2u) << "the sink was told where it lives now";
  EXPECT_EQ(link_.handOffs, 1);
  EXPECT_EQ(hubs_[0]->stats().connections, 0u);
  EXPECT_EQ(hubs_[2]->stats().peersInRooms, 1u);
  EXPECT_EQ(hubs_[2]->stats().joinLatency.count(), 1u);
}

TEST_F(HubShardsTest, PeersFromEveryShardMeetInOneRoom) {
  const std::string rid = roomOn(1);
  auto a = connect(0);
  auto b = connect(1);
  auto c = connect(2);
  join(a, rid);
  join(b, rid);
  join(c, rid);
  EXPECT_EQ(link_.handOffs, 2) << "b was already on the room's shard";
  send(c, obj(R"({"type":"enter","rid":"x","mid":"x"})"));
  EXPECT_EQ(a.sink->ofType("enter").size(), 1u);
  EXPECT_EQ(b.sink->ofType("enter").size(), 1u);
  send(a, obj(R"({"type":"welcome","target":")" + c.sid + R"("})"));
  ASSERT_EQ(c.sink->ofType("welcome").size(), 1u);
  EXPECT_EQ(c.sink->ofType("welcome")[0].at("mid").as_string(), a.sid);
  EXPECT_EQ(hubs_[1]->rooms().size(), 1u);
  EXPECT_EQ(hubs_[1]->rooms()[0].peers.size(), 3u);
}

TEST_F(HubShardsTest, ARejoinElsewhereLeavesTheOldRoomWithOneBye) {
  const std::string first = roomOn(1);
  auto a = connect(0);
  auto b = connect(0);
  join(a, first);
  join(b, first);
  const std::string oldSid = a.sid;
  join(a, roomOn(2));
  ASSERT_FALSE(a.sid.empty());
  EXPECT_EQ(a.sink->shard, 2u);
  auto byes = b.sink->ofType("bye");
  ASSERT_EQ(byes.size(), 1u);
  EXPECT_EQ(byes[0].at("mid").as_string(), oldSid);
  EXPECT_EQ(hubs_[1]->stats().peersInRooms, 1u);
  EXPECT_EQ(hubs_[2]->stats().peersInRooms, 1u);
}

TEST_F(HubShardsTest, ADisconnectAfterTheMoveLeavesTheRoom) {
  const std::string rid = roomOn(2);
  auto a = connect(0);
  auto b = connect(1);
  join(a, rid);
  join(b, rid);
  hubs_[a.sink->shard]->disconnect(a.id, 0);
  EXPECT_EQ(b.sink->ofType("bye").size(), 1u);
  EXPECT_EQ(hubs_[2]->stats().connections, 1u);
}

TEST_F(HubShardsTest, PrivilegedGetPeersSeesEveryShard) {
  auto admin = connect(0);
  join(admin, roomOn(0), obj(R"({"testPrivileged":true})"));
  auto x = connect(1);
  join(x, roomOn(1));
  auto y = connect(2);
  join(y, roomOn(2));
  auto other = connect(2);
  join(other, roomOn(2, 1), obj(R"({"testRealm":"realmB"})"));
  send(admin, obj(R"({"type":"getPeers"})"));
  auto lists = admin.sink->ofType("peerList");
  ASSERT_EQ(lists.size(), 1u);
  const auto& result = lists[0].at("result").as_object();
  EXPECT_EQ(result.size(), 2u) << json::serialize(result) << ": the realm's rooms with peers who are not privileged";
  EXPECT_TRUE(result.contains("name-" + roomOn(1)));
  EXPECT_TRUE(result.contains("name-" + roomOn(2)));
}

TEST_F(HubShardsTest, IntroduceReachesAPairOnAnotherShard) {
  auto admin = connect(0);
  join(admin, roomOn(0), obj(R"({"testPrivileged":true})"));
  const std::string rid = roomOn(2);
  auto a = connect(1);
  auto b = connect(1);
  join(a, rid);
  join(b, rid);
  auto elsewhere = connect(1);
  join(elsewhere, roomOn(1));
  send(admin, obj(R"({"type":"introduce","sendingPeerId":")" + a.sid + R"(","receivingPeerId":")" + b.sid + R"("})"));
  ASSERT_EQ(a.sink->ofType("approach").size(), 1u);
  EXPECT_EQ(a.sink->ofType("approach")[0].at("target").as_string(), b.sid);
  EXPECT_TRUE(admin.sink->ofType("introduceError").empty());

  send(admin, obj(R"({"type":"introduce","sendingPeerId":")" + a.sid + R"(","receivingPeerId":")" + elsewhere.sid + R"("})"));
  auto errors = admin.sink->ofType("introduceError");
  ASSERT_EQ(errors.size(), 1u);
  EXPECT_EQ(errors[0].at("reason").as_string(), "notInSameRoom");
  send(admin, obj(R"({"type":"introduce","sendingPeerId":"nobody","receivingPeerId":")" + b.sid + R"("})"));
  errors = admin.sink->ofType("introduceError");
  ASSERT_EQ(errors.size(), 2u);
  EXPECT_EQ(errors[1].at("reason").as_string(), "sendingPeerNotFound");
}

TEST_F(HubShardsTest, ALockedRoomRejectsAPeerHandedOver) {
  const std::string rid = roomOn(2);
  auto a = connect(2);
  join(a, rid);
  ASSERT_TRUE(hubs_[2]->setLocked(rid, true));
  auto b = connect(0);
  send(b, obj(R"({"type":"joinRoom","rid":")" + rid + R"("})"));
  EXPECT_TRUE(b.sink->ofType("inRoom").empty());
  auto redirects = b.sink->ofType("redirect");
  ASSERT_FALSE(redirects.empty());
  EXPECT_EQ(redirects.back().at("reason").as_string(), "locked");
}

}  // namespace
}  // namespace aerie::hubtest
