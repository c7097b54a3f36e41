// Cluster mode: a join the authorizer grants to another node's room is bridged there
// (hub/PeerBridge.hpp); the Hub passes the peer's messages on unread and forgets the bridge
// with the peer.
#include "HubFixture.hpp"

namespace aerie::hubtest {
namespace {

struct BridgeLog {
  std::vector<BridgeTarget> opened;
  std::vector<std::string> sent;
  int closed = 0;
};

class FakeBridge : public PeerBridge {
 public:
  explicit FakeBridge(BridgeLog& log) : log_(log) {}
  ~FakeBridge() override { ++log_.closed; }
  void send(std::string_view json) override { log_.sent.emplace_back(json); }

 private:
  BridgeLog& log_;
};

class FakeOpener : public BridgeOpener {
 public:
  std::unique_ptr<PeerBridge> open(const BridgeTarget& target, std::shared_ptr<PeerSink>) override {
    log.opened.push_back(target);
    if (refuse) return nullptr;
    return std::make_unique<FakeBridge>(log);
  }
  BridgeLog log;
  bool refuse = false;
};

// Grants rooms named "remote-*" to node 127.0.0.1:9001, as ClusterBinding does for a room
// another node owns.
class RemoteAuthorizer : public FakeAuthorizer {
 public:
  JoinGrant authorize(const json::object& join, std::int64_t now) override {
    JoinGrant g = FakeAuthorizer::authorize(join, now);
    if (g.ok && g.roomKey.starts_with("remote-")) {
      JoinGrant elsewhere;
      elsewhere.reason = "roomclose";
      elsewhere.info = "served by another server";
      elsewhere.bridgeHost = "127.0.0.1";
      elsewhere.bridgePort = 9001;
      return elsewhere;
    }
    return g;
  }
};

class HubBridgeTest : public ::testing::Test {
 protected:
  HubBridgeTest() : hub_(limits_, auth_) { hub_.setBridgeOpener(&opener_); }

  Client connect() {
    Client c;
    c.sink = std::make_shared<RecordingSink>();
    c.id = hub_.connect(c.sink, 0);
    return c;
  }
  void send(const Client& c, std::string_view json) { hub_.onMessage(c.id, json, 0); }
  static std::string joinRoom(std::string_view rid) {
    return R"({"type":"joinRoom","rid":")" + std::string(rid) + R"(","userCred":"u","roomCred":"r"})";
  }

  Limits limits_;
  RemoteAuthorizer auth_;
  FakeOpener opener_;
  Hub hub_;
};

TEST_F(HubBridgeTest, AJoinForAnotherNodesRoomIsBridgedAndItsMessagesPassUnread) {
  Client c = connect();
  send(c, joinRoom("remote-1"));
  ASSERT_EQ(opener_.log.opened.size(), 1u);
  EXPECT_EQ(opener_.log.opened[0].host, "127.0.0.1");
  EXPECT_EQ(opener_.log.opened[0].port, 9001);
  EXPECT_EQ(opener_.log.opened[0].roomKey, "remote-1");
  ASSERT_EQ(opener_.log.sent.size(), 1u);  // the joinRoom goes on for the owner to check
  EXPECT_NE(opener_.log.sent[0].find("\"remote-1\""), std::string::npos);
  EXPECT_TRUE(c.sink->packets.empty());     // the owner answers, not this Hub

  // Anything after it, even what this Hub would drop, is the owner's to judge, in order.
  send(c, R"({"type":"public","data":1})");
  send(c, "not json");
  ASSERT_EQ(opener_.log.sent.size(), 3u);
  EXPECT_EQ(opener_.log.sent[2], "not json");
  EXPECT_EQ(hub_.stats().peersBridged, 1u);
  EXPECT_EQ(hub_.stats().bridgesOpened, 1u);
  EXPECT_EQ(hub_.stats().peersInRooms, 0u);

  // Not a local member: no join timeout closes it.
  hub_.tick(static_cast<std::int64_t>(limits_.joinTimeoutMs) * 2);
  EXPECT_EQ(c.sink->closes, 0);

  hub_.disconnect(c.id, 1);
  EXPECT_EQ(opener_.log.closed, 1);
  EXPECT_EQ(hub_.stats().peersBridged, 0u);
  hub_.disconnect(c.id, 2);  // idempotent
  EXPECT_EQ(opener_.log.closed, 1);
}

TEST_F(HubBridgeTest, WithoutABridgeTheJoinIsRefusedAsBefore) {
  opener_.refuse = true;
  Client c = connect();
  send(c, joinRoom("remote-2"));
  auto redirects = c.sink->ofType("redirect");
  ASSERT_EQ(redirects.size(), 1u);
  EXPECT_EQ(redirects[0].at("action").as_string(), "reject");
  EXPECT_EQ(redirects[0].at("reason").as_string(), "roomclose");
  EXPECT_EQ(hub_.stats().peersBridged, 0u);
}

TEST_F(HubBridgeTest, ALocalMemberJoiningARemoteRoomLeavesItsRoomFirst) {
  Client a = connect();
  Client b = connect();
  send(a, joinRoom("here"));
  send(b, joinRoom("here"));
  send(b, joinRoom("remote-3"));
  EXPECT_EQ(a.sink->ofType("bye").size(), 1u);
  EXPECT_EQ(hub_.stats().peersBridged, 1u);
  hub_.disconnect(b.id, 1);
  EXPECT_EQ(a.sink->ofType("bye").size(), 1u);  // once
}

}  // namespace
}  // namespace aerie::hubtest
