// The Hub's session events (HubListener) for usage records: one join and one leave per stay,
// whatever ends it, with the times the Hub was given.
#include <gtest/gtest.h>

#include <boost/json/parse.hpp>
#include <boost/json/value_to.hpp>
#include <stdexcept>
#include <vector>

#include "hub/Hub.hpp"

namespace aerie {
namespace {

namespace json = boost::json;

class NullSink : public PeerSink {
 public:
  void send(std::shared_ptr<const std::string> packet) override { last = *packet; }
  void close() override { ++closes; }
  std::string last;
  int closes = 0;
};

// Grants the room named by `rid`, in the realm and with the key the test puts in the message.
class GrantAll : public JoinAuthorizer {
 public:
  JoinGrant authorize(const json::object& join, std::int64_t) override {
    JoinGrant g;
    g.ok = true;
    g.roomKey = json::value_to<std::string>(join.at("rid"));
    g.roomName = "name-" + g.roomKey;
    g.realm = "realm";
    g.appKey = join.contains("cid") ? json::value_to<std::string>(join.at("cid")) : "key";
    return g;
  }
};

class Recorder : public HubListener {
 public:
  void onPeerJoined(const PeerSession& s) override {
    if (throwOnJoin) throw std::runtime_error("listener failed");
    joined.push_back(s);
  }
  void onPeerLeft(const PeerSession& s) override { left.push_back(s); }
  std::vector<PeerSession> joined, left;
  bool throwOnJoin = false;
};

class HubListenerTest : public ::testing::Test {
 protected:
  HubListenerTest() : hub_(limits_, auth_) { hub_.setListener(&recorder_); }

  Hub::ConnId connect(std::int64_t now) {
    return hub_.connect(std::make_shared<NullSink>(), now);
  }
  void join(Hub::ConnId id, std::string_view rid, std::int64_t now,
            std::string_view cid = "alias-key") {
    hub_.onMessage(id,
                   R"({"type":"joinRoom","rid":")" + std::string(rid) + R"(","cid":")" +
                       std::string(cid) + R"(","userCred":"u","roomCred":"r"})",
                   now);
  }

  Limits limits_;
  GrantAll auth_;
  Recorder recorder_;
  Hub hub_;
};

TEST_F(HubListenerTest, JoinAndByeGiveOneSessionWithItsTimes) {
  const auto a = connect(1000);
  join(a, "room1", 2000);
  ASSERT_EQ(recorder_.joined.size(), 1u);
  const PeerSession& j = recorder_.joined[0];
  EXPECT_EQ(j.realm, "realm");
  EXPECT_EQ(j.appKey, "alias-key");
  EXPECT_EQ(j.roomName, "name-room1");
  EXPECT_EQ(j.roomKey, "room1");
  EXPECT_FALSE(j.sid.empty());
  EXPECT_EQ(j.joinedAtMs, 2000);
  EXPECT_EQ(j.leftAtMs, 0);

  hub_.onMessage(a, R"({"type":"bye"})", 5000);
  ASSERT_EQ(recorder_.left.size(), 1u);
  const PeerSession& l = recorder_.left[0];
  EXPECT_EQ(l.sid, j.sid);
  EXPECT_EQ(l.appKey, "alias-key");
  EXPECT_EQ(l.roomName, "name-room1");
  EXPECT_EQ(l.joinedAtMs, 2000);
  EXPECT_EQ(l.leftAtMs, 5000);

  // bye then close: still one leave.
  hub_.disconnect(a, 6000);
  EXPECT_EQ(recorder_.left.size(), 1u);
}

TEST_F(HubListenerTest, DisconnectEndsTheSession) {
  const auto a = connect(0);
  join(a, "room1", 100);
  hub_.disconnect(a, 900);
  ASSERT_EQ(recorder_.left.size(), 1u);
  EXPECT_EQ(recorder_.left[0].leftAtMs, 900);
}

TEST_F(HubListenerTest, RejoinEndsTheFirstSessionAndStartsASecond) {
  const auto a = connect(0);
  join(a, "room1", 100);
  join(a, "room2", 300);
  ASSERT_EQ(recorder_.joined.size(), 2u);
  ASSERT_EQ(recorder_.left.size(), 1u);
  EXPECT_EQ(recorder_.left[0].roomKey, "room1");
  EXPECT_EQ(recorder_.left[0].leftAtMs, 300);
  EXPECT_EQ(recorder_.joined[1].roomKey, "room2");
}

TEST_F(HubListenerTest, AKickTakesTheLatestTimeTheHubWasGiven) {
  const auto a = connect(0);
  join(a, "room1", 100);
  hub_.tick(7000);
  ASSERT_TRUE(hub_.kick(recorder_.joined.at(0).sid));
  ASSERT_EQ(recorder_.left.size(), 1u);
  EXPECT_EQ(recorder_.left[0].leftAtMs, 7000);
}

TEST_F(HubListenerTest, ARefusedJoinIsNoSession) {
  const auto a = connect(0);
  const auto b = connect(0);
  join(a, "room1", 100);
  ASSERT_TRUE(hub_.setLocked("room1", true));
  join(b, "room1", 200);  // locked: redirect, no inRoom
  EXPECT_EQ(recorder_.joined.size(), 1u);
  hub_.disconnect(b, 300);
  EXPECT_EQ(recorder_.left.size(), 0u);
}

TEST_F(HubListenerTest, AThrowingListenerCostsTheHubNothing) {
  recorder_.throwOnJoin = true;
  const auto a = connect(0);
  join(a, "room1", 100);
  EXPECT_EQ(hub_.stats().peersInRooms, 1u);
  EXPECT_EQ(hub_.stats().dropped.at("internalError"), 1u);
  hub_.disconnect(a, 200);
  EXPECT_EQ(recorder_.left.size(), 1u);  // the leave is still reported
}

TEST_F(HubListenerTest, WithoutAListenerNothingChanges) {
  hub_.setListener(nullptr);
  const auto a = connect(0);
  join(a, "room1", 100);
  hub_.disconnect(a, 200);
  EXPECT_TRUE(recorder_.joined.empty());
  EXPECT_EQ(hub_.stats().rooms, 0u);
}

}  // namespace
}  // namespace aerie
