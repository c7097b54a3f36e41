#include <gtest/gtest.h>

#include <boost/json/parse.hpp>
#include <boost/json/serialize.hpp>
#include <boost/json/value.hpp>
#include <boost/json/value_to.hpp>
#include <set>
#include <stdexcept>
#include <string>
#include <vector>

#include "signaling/Hub.hpp"

namespace aerie {
namespace {

namespace json = boost::json;

// Records what the Hub sends, decoded back from the Engine.IO packet `42["message","<json>"]`.
class RecordingSink : public PeerSink {
 public:
  void send(std::shared_ptr<const std::string> packet) override {
    packets.push_back(std::move(packet));
  }
  void close() override { ++closes; }

  std::vector<json::object> messages() const {
    std::vector<json::object> out;
    for (const auto& p : packets) {
      EXPECT_EQ(p->substr(0, 2), "42");
      json::value event = json::parse(p->substr(2));
      const auto& args = event.as_array();
      EXPECT_EQ(args.at(0).as_string(), "message");
      out.push_back(json::parse(args.at(1).as_string()).as_object());
    }
    return out;
  }
  std::vector<json::object> ofType(std::string_view type) const {
    std::vector<json::object> out;
    for (auto& m : messages()) {
      if (m.at("type").as_string() == type) out.push_back(std::move(m));
    }
    return out;
  }
  void clear() { packets.clear(); }

  std::vector<std::shared_ptr<const std::string>> packets;
  int closes = 0;
};

// Grants whatever the joinRoom asks for; test-only fields steer it.
class FakeAuthorizer : public JoinAuthorizer {
 public:
  JoinGrant authorize(const json::object& join, std::int64_t) override {
    ++calls;
    if (throwNext) throw std::runtime_error("store down");
    JoinGrant g;
    if (const auto* reject = join.if_contains("testReject")) {
      g.reason = json::value_to<std::string>(*reject);
      g.info = "rejected by test";
      return g;
    }
    g.ok = true;
    g.roomKey = json::value_to<std::string>(join.at("rid"));
    g.roomName = "name-" + g.roomKey;
    g.realm =
        join.contains("testRealm") ? json::value_to<std::string>(join.at("testRealm")) : "realmA";
    g.privileged = join.contains("testPrivileged");
    g.maxPeers = maxPeers;
    g.iceServers = iceServers;
    return g;
  }

  int calls = 0;
  bool throwNext = false;
  std::uint32_t maxPeers = 0;
  json::array iceServers =
      json::parse(R"([{"url":"turn:123@turn.example:3478?transport=udp","credential":"c",)"
                  R"("urls":["turn:turn.example:3478?transport=udp"],"username":"123"}])")
          .as_array();
};

struct Client {
  Hub::ConnId id = 0;
  std::shared_ptr<RecordingSink> sink;
  std::string sid;
};

class HubTest : public ::testing::Test {
 protected:
  HubTest() : hub_(std::make_unique<Hub>(limits_, auth_)) {}

  void rebuild() { hub_ = std::make_unique<Hub>(limits_, auth_); }

  Client connect() {
    Client c;
    c.sink = std::make_shared<RecordingSink>();
    c.id = hub_->connect(c.sink, now_);
    return c;
  }
  void send(const Client& c, std::string_view json) { hub_->onMessage(c.id, json, now_); }
  void send(const Client& c, const json::object& msg) { send(c, json::serialize(msg)); }

  // Connects and joins `rid`; extra fields go into the joinRoom.
  Client join(std::string_view rid, json::object extra = {}) {
    Client c = connect();
    rejoin(c, rid, std::move(extra));
    return c;
  }
  void rejoin(Client& c, std::string_view rid, json::object extra = {}) {
    extra["type"] = "joinRoom";
    extra["rid"] = rid;
    extra["userCred"] = "u";
    extra["roomCred"] = "r";
    send(c, extra);
    auto inRoom = c.sink->ofType("inRoom");
    c.sid = inRoom.empty() ? "" : std::string(inRoom.back().at("sid").as_string());
    c.sink->clear();
  }
  std::uint64_t dropped(const char* reason) const {
    auto s = hub_->stats();
    auto it = s.dropped.find(reason);
    return it == s.dropped.end() ? 0 : it->second;
  }

  Limits limits_;
  FakeAuthorizer auth_;
  std::unique_ptr<Hub> hub_;
  std::int64_t now_ = 1'000'000;
};

json::object obj(std::string_view text) {
  return json::parse(text).as_object();
}

// ---- joinRoom -------------------------------------------------------------------------------

TEST_F(HubTest, JoinRepliesInRoomWithTheShapeTheClientReads) {
  Client a = connect();
  send(a, R"({"type":"joinRoom","rid":"room1","userCred":"u","roomCred":"r","mid":"forged"})");
  auto msgs = a.sink->messages();
  ASSERT_EQ(msgs.size(), 1u);
  const auto& m = msgs[0];
  EXPECT_EQ(m.at("type").as_string(), "inRoom");
  EXPECT_EQ(m.at("rid").as_string(), "room1");
  const auto sid = m.at("sid").as_string();
  EXPECT_EQ(sid.size(), 36u);  // UUID-like
  EXPECT_EQ(m.at("mid").as_string(), sid);
  EXPECT_EQ(m.at("pc_config").as_object().at("iceServers").as_array(), auth_.iceServers);
  ASSERT_TRUE(m.at("tieBreaker").is_number());
  EXPECT_LT(m.at("tieBreaker").to_number<double>(), 4503599627370496.0);  // 2^52
  EXPECT_EQ(a.sink->closes, 0);
  const auto stats = hub_->stats();
  EXPECT_EQ(stats.connections, 1u);
  EXPECT_EQ(stats.peersInRooms, 1u);
  EXPECT_EQ(stats.rooms, 1u);
  EXPECT_EQ(stats.messagesIn.at("joinRoom"), 1u);
  EXPECT_EQ(stats.messagesOut.at("inRoom"), 1u);
}

TEST_F(HubTest, SidsAndTieBreakersAreUnique) {
  std::set<std::string> sids;
  std::set<double> tieBreakers;
  for (int i = 0; i < 30; ++i) {
    Client c = connect();
    send(c, R"({"type":"joinRoom","rid":"room1"})");
    auto inRoom = c.sink->ofType("inRoom");
    ASSERT_EQ(inRoom.size(), 1u);
    sids.emplace(inRoom[0].at("sid").as_string());
    tieBreakers.emplace(inRoom[0].at("tieBreaker").to_number<double>());
  }
  EXPECT_EQ(sids.size(), 30u);
  EXPECT_EQ(tieBreakers.size(), 30u);
}

struct RejectCase {
  const char* name;
  const char* reason;  // what the authorizer says
};

class HubRejectTest : public HubTest, public ::testing::WithParamInterface<RejectCase> {};

TEST_P(HubRejectTest, AuthorizerRejectionIsARedirectAndTheSocketStaysOpen) {
  Client a = connect();
  json::object join = obj(R"({"type":"joinRoom","rid":"room1"})");
  join["testReject"] = GetParam().reason;
  send(a, join);
  auto msgs = a.sink->messages();
  ASSERT_EQ(msgs.size(), 1u);
  EXPECT_EQ(msgs[0].at("type").as_string(), "redirect");
  EXPECT_EQ(msgs[0].at("action").as_string(), "reject");
  EXPECT_EQ(msgs[0].at("reason").as_string(), GetParam().reason);
  EXPECT_EQ(msgs[0].at("info").as_string(), "rejected by test");
  EXPECT_EQ(msgs[0].at("rid").as_string(), "room1");
  EXPECT_EQ(a.sink->closes, 0);
  EXPECT_EQ(hub_->stats().peersInRooms, 0u);
  EXPECT_EQ(hub_->stats().redirects.at(GetParam().reason), 1u);
}

INSTANTIATE_TEST_SUITE_P(HubTest, HubRejectTest,
                         ::testing::Values(RejectCase{"credentialError", "credentialError"},
                                           RejectCase{"oldTimeStamp", "oldTimeStamp"},
                                           RejectCase{"notStart", "notStart"},
                                           RejectCase{"expired", "expired"},
                                           RejectCase{"keyFailed", "keyFailed"}),
                         [](const auto& info) { return std::string(info.param.name); });

TEST_F(HubTest, AnAuthorizerExceptionIsAServerErrorRedirect) {
  Client a = connect();
  auth_.throwNext = true;
  send(a, R"({"type":"joinRoom","rid":"room1"})");
  auto redirects = a.sink->ofType("redirect");
  ASSERT_EQ(redirects.size(), 1u);
  EXPECT_EQ(redirects[0].at("reason").as_string(), "serverError");
  EXPECT_EQ(redirects[0].at("action").as_string(), "reject");
}

TEST_F(HubTest, RejoinLeavesThePreviousRoomFirst) {
  Client a = join("room1");
  Client b = join("room1");
  const std::string oldSid = a.sid;
  rejoin(a, "room2");
  auto byes = b.sink->ofType("bye");
  ASSERT_EQ(byes.size(), 1u);
  EXPECT_EQ(byes[0].at("mid").as_string(), oldSid);
  EXPECT_NE(a.sid, oldSid);
  EXPECT_FALSE(a.sid.empty());
  auto rooms = hub_->rooms();
  ASSERT_EQ(rooms.size(), 2u);
}

// ---- routing --------------------------------------------------------------------------------

class HubRoomTest : public HubTest {
 protected:
  void SetUp() override {
    a_ = join("room1");
    b_ = join("room1");
    c_ = join("room1");
    d_ = join("room2");  // another room: must never hear room1
    a_.sink->clear();
    b_.sink->clear();
    c_.sink->clear();
  }
  Client a_, b_, c_, d_;
};

struct RelayCase {
  const char* json;  // `TARGET` is replaced by b's sid
  bool targeted;
};

class HubRelayTest : public HubRoomTest, public ::testing::WithParamInterface<RelayCase> {};

TEST_P(HubRelayTest, RoutesToTargetOrRoomButNeverBackOrAcross) {
  std::string text = GetParam().json;
  if (auto pos = text.find("TARGET"); pos != std::string::npos) text.replace(pos, 6, b_.sid);
  send(a_, text);
  const std::string type(obj(text).at("type").as_string());
  auto atB = b_.sink->messages();
  ASSERT_EQ(atB.size(), 1u) << text;
  EXPECT_EQ(atB[0].at("type").as_string(), type);
  EXPECT_EQ(atB[0].at("mid").as_string(), a_.sid);
  EXPECT_EQ(atB[0].at("rid").as_string(), "room1");
  EXPECT_EQ(c_.sink->packets.size(), GetParam().targeted ? 0u : 1u) << text;
  EXPECT_TRUE(a_.sink->packets.empty()) << text;
  EXPECT_TRUE(d_.sink->packets.empty()) << text;
}

INSTANTIATE_TEST_SUITE_P(
    Table, HubRelayTest,
    ::testing::Values(
        RelayCase{R"({"type":"welcome","target":"TARGET","weight":1})", true},
        RelayCase{R"({"type":"offer","target":"TARGET","sdp":"v=0"})", true},
        RelayCase{R"({"type":"answer","target":"TARGET","sdp":"v=0"})", true},
        RelayCase{R"({"type":"candidate","target":"TARGET","candidate":"c","label":0,"id":"0"})",
                  true},
        RelayCase{R"({"type":"endOfCandidates","target":"TARGET","noOfExpectedCandidates":2})",
                  true},
        RelayCase{R"({"type":"restart","target":"TARGET"})", true},
        RelayCase{R"({"type":"private","target":"TARGET","data":"psst"})", true},
        RelayCase{R"({"type":"answerAck","target":"TARGET"})", true},
        RelayCase{R"({"type":"enter","target":"TARGET"})", true},
        RelayCase{R"({"type":"message","target":"TARGET","data":"x"})", true},
        RelayCase{R"({"type":"mediaInfoEvent","target":"TARGET"})", true},
        RelayCase{R"({"type":"enter","weight":5,"userInfo":{}})", false},
        RelayCase{R"({"type":"public","data":"hi"})", false},
        RelayCase{R"({"type":"updateUserEvent","userData":{"n":1},"stamp":1})", false},
        RelayCase{R"({"type":"muteAudioEvent","muted":true})", false},
        RelayCase{R"({"type":"muteVideoEvent","muted":false})", false},
        RelayCase{R"({"type":"stream","streamId":"s","status":"ended"})", false},
        RelayCase{R"({"type":"roomLockEvent","lock":false})", false},
        RelayCase{R"({"type":"startScreenshare"})", false},
        RelayCase{R"({"type":"message","data":"x"})", false}));

TEST_F(HubRoomTest, ForgedMidAndRidAreReplaced) {
  json::object offer = obj(R"({"type":"offer","sdp":"v=0","rid":"room2"})");
  offer["mid"] = c_.sid;
  offer["target"] = b_.sid;
  send(a_, offer);
  auto atB = b_.sink->ofType("offer");
  ASSERT_EQ(atB.size(), 1u);
  EXPECT_EQ(atB[0].at("mid").as_string(), a_.sid);
  EXPECT_EQ(atB[0].at("rid").as_string(), "room1");
  EXPECT_EQ(atB[0].at("sdp").as_string(), "v=0");
  EXPECT_TRUE(d_.sink->packets.empty());
}

TEST_F(HubRoomTest, DuplicatedMidKeysCannotSmuggleAnIdentity) {
  send(a_, R"({"type":"public","mid":"x","mid":"y","data":1})");
  auto atB = b_.sink->ofType("public");
  ASSERT_EQ(atB.size(), 1u);
  EXPECT_EQ(atB[0].at("mid").as_string(), a_.sid);
  EXPECT_EQ(b_.sink->packets[0]->find("\\\"mid\\\":\\\"x"), std::string::npos);
  EXPECT_EQ(b_.sink->packets[0]->find("\\\"mid\\\":\\\"y"), std::string::npos);
}

TEST_F(HubRoomTest, ATargetInAnotherRoomNeverReceives) {
  json::object offer = obj(R"({"type":"offer","sdp":"v=0"})");
  offer["target"] = d_.sid;
  send(a_, offer);
  json::object enter = obj(R"({"type":"enter"})");
  enter["target"] = d_.sid;
  send(a_, enter);
  send(a_, R"({"type":"offer","sdp":"v=0","target":"no-such-peer"})");
  EXPECT_TRUE(d_.sink->packets.empty());
  EXPECT_TRUE(b_.sink->packets.empty());
  EXPECT_EQ(dropped("badTarget"), 3u);
}

TEST_F(HubRoomTest, TargetingYourselfIsDropped) {
  json::object offer = obj(R"({"type":"offer","sdp":"v=0"})");
  offer["target"] = a_.sid;
  send(a_, offer);
  EXPECT_TRUE(a_.sink->packets.empty());
  EXPECT_EQ(dropped("badTarget"), 1u);
}

TEST_F(HubRoomTest, ABroadcastIsEncodedOnceForAllReceivers) {
  send(a_, R"({"type":"public","data":"hi"})");
  ASSERT_EQ(b_.sink->packets.size(), 1u);
  ASSERT_EQ(c_.sink->packets.size(), 1u);
  EXPECT_EQ(b_.sink->packets[0].get(), c_.sink->packets[0].get());
}

TEST_F(HubRoomTest, UnknownAndServerOnlyTypesAreDroppedButTheSocketLives) {
  send(a_, R"({"type":"fooBar","target":"x"})");
  send(a_, R"({"type":"inRoom","sid":"x"})");
  send(a_, R"({"type":"redirect","action":"reject"})");
  EXPECT_EQ(dropped("unknownType"), 3u);
  EXPECT_TRUE(b_.sink->packets.empty());
  EXPECT_EQ(a_.sink->closes, 0);
  send(a_, R"({"type":"public","data":"still here"})");
  EXPECT_EQ(b_.sink->packets.size(), 1u);
}

TEST_F(HubRoomTest, MissingOrMistypedFieldsAreDropped) {
  send(a_, R"({"type":"offer","sdp":"v=0"})");             // no target
  send(a_, R"({"type":"muteAudioEvent","muted":"yes"})");  // wrong type
  send(a_, R"({"type":"roomLockEvent"})");                 // no lock
  EXPECT_TRUE(b_.sink->packets.empty());
  EXPECT_EQ(dropped("missingField"), 2u);
  EXPECT_EQ(dropped("wrongType"), 1u);
}

TEST_F(HubRoomTest, OversizedUserDataIsDropped) {
  json::object update = obj(R"({"type":"updateUserEvent"})");
  update["userData"] = std::string(limits_.maxUserDataBytes + 1, 'x');
  send(a_, update);
  json::object enter = obj(R"({"type":"enter"})");
  enter["userInfo"] = json::object{{"userData", std::string(limits_.maxUserDataBytes, 'x')}};
  send(a_, enter);
  EXPECT_TRUE(b_.sink->packets.empty());
  EXPECT_EQ(dropped("tooLarge"), 2u);
}

TEST_F(HubTest, AnythingBeforeInRoomIsDropped) {
  Client a = join("room1");
  Client b = connect();
  json::object offer = obj(R"({"type":"offer","sdp":"v=0"})");
  offer["target"] = a.sid;
  send(b, offer);
  send(b, R"({"type":"public","data":1})");
  send(b, R"({"type":"getPeers"})");
  send(b, R"({"type":"bye"})");
  EXPECT_TRUE(a.sink->packets.empty());
  EXPECT_TRUE(b.sink->packets.empty());
  EXPECT_EQ(dropped("notJoined"), 4u);
}

TEST_F(HubTest, UntargetedEnterSkipsPeersThatDoNotAutoIntroduce) {
  Client a = join("room1");
  Client quiet = join("room1", obj(R"({"autoIntroduce":false})"));
  Client c = join("room1");
  send(a, R"({"type":"enter"})");
  EXPECT_TRUE(quiet.sink->packets.empty());
  EXPECT_EQ(c.sink->ofType("enter").size(), 1u);
  c.sink->clear();
  send(quiet, R"({"type":"enter"})");
  EXPECT_TRUE(a.sink->packets.empty());
  EXPECT_TRUE(c.sink->packets.empty());
  // Everything else still reaches it.
  send(a, R"({"type":"public","data":1})");
  EXPECT_EQ(quiet.sink->ofType("public").size(), 1u);
}

// ---- lock and limits ------------------------------------------------------------------------

TEST_F(HubRoomTest, LockRejectsNewcomersAndClearsWhenTheRoomEmpties) {
  send(a_, R"({"type":"roomLockEvent","lock":true})");
  ASSERT_EQ(b_.sink->ofType("roomLockEvent").size(), 1u);
  EXPECT_TRUE(b_.sink->ofType("roomLockEvent")[0].at("lock").as_bool());
  EXPECT_TRUE(hub_->rooms("realmA").at(0).locked);

  Client late = join("room1");
  EXPECT_TRUE(late.sid.empty());
  EXPECT_EQ(hub_->stats().redirects.at("locked"), 1u);
  EXPECT_EQ(late.sink->closes, 0);

  hub_->disconnect(a_.id, now_);
  hub_->disconnect(b_.id, now_);
  hub_->disconnect(c_.id, now_);
  Client again = join("room1");
  EXPECT_FALSE(again.sid.empty());
  EXPECT_FALSE(hub_->rooms("realmA").at(0).locked);
}

TEST_F(HubRoomTest, UnlockLetsNewcomersIn) {
  send(a_, R"({"type":"roomLockEvent","lock":true})");
  send(b_, R"({"type":"roomLockEvent","lock":false})");
  Client late = join("room1");
  EXPECT_FALSE(late.sid.empty());
}

TEST_F(HubTest, ALockedRoomRejectsWithReasonLocked) {
  Client a = join("room1");
  Client late = connect();
  send(a, R"({"type":"roomLockEvent","lock":true})");
  send(late, R"({"type":"joinRoom","rid":"room1"})");
  auto redirects = late.sink->ofType("redirect");
  ASSERT_EQ(redirects.size(), 1u);
  EXPECT_EQ(redirects[0].at("action").as_string(), "reject");
  EXPECT_EQ(redirects[0].at("reason").as_string(), "locked");
  EXPECT_EQ(redirects[0].at("rid").as_string(), "room1");
}

TEST_F(HubTest, AFullRoomRejectsTheNextPeer) {
  auth_.maxPeers = 2;
  join("room1");
  join("room1");
  Client third = connect();
  send(third, R"({"type":"joinRoom","rid":"room1"})");
  auto redirects = third.sink->ofType("redirect");
  ASSERT_EQ(redirects.size(), 1u);
  EXPECT_EQ(redirects[0].at("action").as_string(), "reject");
  EXPECT_EQ(redirects[0].at("reason").as_string(), "locked");
  EXPECT_NE(std::string(redirects[0].at("info").as_string()).find("full"), std::string::npos);
  EXPECT_EQ(hub_->stats().redirects.at("roomFull"), 1u);
  EXPECT_TRUE(join("room2").sid.size() > 0);  // other rooms are unaffected
}

TEST_F(HubTest, TheServerDefaultAppliesWhenTheGrantHasNoLimit) {
  limits_.defaultMaxPeersPerRoom = 1;
  rebuild();
  join("room1");
  EXPECT_TRUE(join("room1").sid.empty());
}

TEST_F(HubRoomTest, ServerSideLockBroadcastsAndRejects) {
  EXPECT_FALSE(hub_->setLocked("nope", true));
  EXPECT_TRUE(hub_->setLocked("room1", true));
  for (auto* c : {&a_, &b_, &c_}) {
    auto locks = c->sink->ofType("roomLockEvent");
    ASSERT_EQ(locks.size(), 1u);
    EXPECT_TRUE(locks[0].at("lock").as_bool());
    EXPECT_FALSE(locks[0].contains("mid"));
  }
  EXPECT_TRUE(d_.sink->packets.empty());
  EXPECT_TRUE(join("room1").sid.empty());
}

// ---- leaving --------------------------------------------------------------------------------

TEST_F(HubRoomTest, ByeThenDisconnectSendsOneBye) {
  send(a_, R"({"type":"bye","mid":"whoever"})");
  hub_->disconnect(a_.id, now_);
  hub_->disconnect(a_.id, now_);  // idempotent
  for (auto* c : {&b_, &c_}) {
    auto byes = c->sink->ofType("bye");
    ASSERT_EQ(byes.size(), 1u);
    EXPECT_EQ(byes[0].at("mid").as_string(), a_.sid);
    EXPECT_EQ(byes[0].at("rid").as_string(), "room1");
  }
  EXPECT_TRUE(a_.sink->packets.empty());
  EXPECT_TRUE(d_.sink->packets.empty());
  EXPECT_EQ(hub_->stats().peersInRooms, 3u);
}

TEST_F(HubRoomTest, DisconnectSendsByeAndTheLastOneDropsTheRoom) {
  hub_->disconnect(a_.id, now_);
  EXPECT_EQ(b_.sink->ofType("bye").size(), 1u);
  hub_->disconnect(b_.id, now_);
  hub_->disconnect(c_.id, now_);
  auto rooms = hub_->rooms();
  ASSERT_EQ(rooms.size(), 1u);
  EXPECT_EQ(rooms[0].roomKey, "room2");
  EXPECT_EQ(hub_->stats().connections, 1u);
}

TEST_F(HubRoomTest, AfterByeTheSocketMayJoinAgainButMustDoSoInTime) {
  send(a_, R"({"type":"bye"})");
  send(a_, R"({"type":"public","data":1})");
  EXPECT_EQ(dropped("notJoined"), 1u);
  now_ += limits_.joinTimeoutMs;
  hub_->tick(now_);
  EXPECT_EQ(a_.sink->closes, 1);
  EXPECT_EQ(b_.sink->closes, 0);  // joined peers have no join timer
  EXPECT_EQ(hub_->stats().closed.at("joinTimeout"), 1u);
}

TEST_F(HubTest, JoinTimeout) {
  Client idle = connect();
  now_ += limits_.joinTimeoutMs - 1;
  hub_->tick(now_);
  EXPECT_EQ(idle.sink->closes, 0);
  now_ += 1;
  hub_->tick(now_);
  EXPECT_EQ(idle.sink->closes, 1);
  EXPECT_EQ(hub_->stats().connections, 0u);
  send(idle, R"({"type":"joinRoom","rid":"room1"})");  // late message for a closed socket
  EXPECT_TRUE(idle.sink->packets.empty());
  EXPECT_EQ(dropped("unknownConnection"), 1u);
  hub_->disconnect(idle.id, now_);  // the transport's own notice comes after: harmless
}

TEST_F(HubRoomTest, KickRejectsClosesAndSaysBye) {
  EXPECT_FALSE(hub_->kick("no-such-sid"));
  EXPECT_TRUE(hub_->kick(a_.sid));
  auto redirects = a_.sink->ofType("redirect");
  ASSERT_EQ(redirects.size(), 1u);
  EXPECT_EQ(redirects[0].at("action").as_string(), "reject");
  EXPECT_EQ(a_.sink->closes, 1);
  EXPECT_EQ(b_.sink->ofType("bye").size(), 1u);
  hub_->disconnect(a_.id, now_);
  EXPECT_EQ(b_.sink->ofType("bye").size(), 1u);
  EXPECT_EQ(hub_->stats().closed.at("kicked"), 1u);
}

TEST_F(HubRoomTest, ShutdownWarnsEveryoneAndRefusesNewJoins) {
  Client waiting = connect();
  hub_->shutdown();
  for (auto* c : {&a_, &b_, &c_, &d_, &waiting}) {
    auto redirects = c->sink->ofType("redirect");
    ASSERT_EQ(redirects.size(), 1u);
    EXPECT_EQ(redirects[0].at("action").as_string(), "warning");
    EXPECT_EQ(redirects[0].at("reason").as_string(), "toclose");
    EXPECT_EQ(c->sink->closes, 0);
  }
  waiting.sink->clear();
  send(waiting, R"({"type":"joinRoom","rid":"room1"})");
  auto redirects = waiting.sink->ofType("redirect");
  ASSERT_EQ(redirects.size(), 1u);
  EXPECT_EQ(redirects[0].at("action").as_string(), "reject");
  EXPECT_EQ(redirects[0].at("reason").as_string(), "roomclose");
}

// ---- group ----------------------------------------------------------------------------------

TEST_F(HubRoomTest, GroupEntriesFollowTheRulesOneByOne) {
  json::array lists;
  lists.emplace_back(R"({"type":"public","data":"one","mid":"forged"})");
  lists.emplace_back("not json");
  lists.emplace_back(R"({"type":"updateUserEvent","userData":"two","stamp":2,"rid":"room2"})");
  lists.emplace_back(R"({"type":"offer","sdp":"v=0","target":"x"})");  // not a status message
  lists.emplace_back(R"({"type":"muteAudioEvent","muted":"yes"})");    // wrong type
  lists.emplace_back(R"({"type":"group","lists":[]})");                // no nesting
  lists.emplace_back(R"({"type":"public","target":"x"})");             // a group goes to all
  lists.emplace_back(42);
  json::object group{{"type", "group"}, {"mid", "forged"}, {"rid", "room2"}, {"lists", lists}};
  send(a_, group);

  for (auto* c : {&b_, &c_}) {
    auto groups = c->sink->ofType("group");
    ASSERT_EQ(groups.size(), 1u);
    EXPECT_EQ(groups[0].at("mid").as_string(), a_.sid);
    EXPECT_EQ(groups[0].at("rid").as_string(), "room1");
    const auto& out = groups[0].at("lists").as_array();
    ASSERT_EQ(out.size(), 2u);
    auto first = json::parse(out[0].as_string()).as_object();
    auto second = json::parse(out[1].as_string()).as_object();
    EXPECT_EQ(first.at("type").as_string(), "public");
    EXPECT_EQ(first.at("mid").as_string(), a_.sid);
    EXPECT_EQ(first.at("rid").as_string(), "room1");
    EXPECT_EQ(second.at("type").as_string(), "updateUserEvent");
    EXPECT_EQ(second.at("mid").as_string(), a_.sid);
    EXPECT_EQ(second.at("rid").as_string(), "room1");
  }
  EXPECT_TRUE(a_.sink->packets.empty());
  EXPECT_TRUE(d_.sink->packets.empty());
  EXPECT_EQ(dropped("malformed"), 2u);
  EXPECT_EQ(dropped("notGroupable"), 3u);
  EXPECT_EQ(dropped("wrongType"), 1u);
}

TEST_F(HubRoomTest, AGroupWithNothingValidSendsNothing) {
  send(a_, R"({"type":"group","lists":["{}", "[]"]})");
  send(a_, R"({"type":"group","lists":[]})");
  send(a_, R"({"type":"group","lists":"nope"})");
  EXPECT_TRUE(b_.sink->packets.empty());
}

TEST_F(HubTest, EachGroupEntryCostsABroadcastToken) {
  limits_.broadcastBurst = 3;
  limits_.broadcastPerSecond = 1;
  rebuild();
  Client a = join("room1");
  Client b = join("room1");
  json::array lists;
  for (int i = 0; i < 5; ++i) lists.emplace_back(R"({"type":"public","data":1})");
  send(a, json::object{{"type", "group"}, {"lists", lists}});
  auto groups = b.sink->ofType("group");
  ASSERT_EQ(groups.size(), 1u);
  EXPECT_EQ(groups[0].at("lists").as_array().size(), 2u);  // joinRoom took the first token
  EXPECT_EQ(a.sink->ofType("redirect").size(), 1u);
  EXPECT_EQ(dropped("rateLimited"), 3u);
}

// ---- rate limit -----------------------------------------------------------------------------

TEST_F(HubTest, OverBudgetIsWarnedOncePerSecondThenDisconnected) {
  limits_.broadcastBurst = 4;
  limits_.broadcastPerSecond = 2;
  rebuild();
  Client a = join("room1");  // joinRoom pays one broadcast token
  Client b = join("room1");
  for (int i = 0; i < 6; ++i) send(a, R"({"type":"public","data":1})");
  EXPECT_EQ(b.sink->ofType("public").size(), 3u);
  auto warnings = a.sink->ofType("redirect");
  ASSERT_EQ(warnings.size(), 1u);
  EXPECT_EQ(warnings[0].at("action").as_string(), "warning");
  EXPECT_EQ(warnings[0].at("reason").as_string(), "fastmsg");
  EXPECT_EQ(warnings[0].at("rid").as_string(), "room1");

  // Flood on every 50 ms: a few messages per second still pass, warnings stay at one per
  // second, and after overBudgetDisconnectMs the socket is closed and treated as a leave.
  const std::int64_t start = now_;
  while (a.sink->closes == 0 && now_ - start < 30'000) {
    now_ += 50;
    send(a, R"({"type":"public","data":1})");
  }
  EXPECT_EQ(a.sink->closes, 1);
  EXPECT_GE(now_ - start, static_cast<std::int64_t>(limits_.overBudgetDisconnectMs) - 100);
  EXPECT_LE(now_ - start, static_cast<std::int64_t>(limits_.overBudgetDisconnectMs) + 100);
  const auto warned = a.sink->ofType("redirect").size();
  EXPECT_GE(warned, 9u);
  EXPECT_LE(warned, 12u);
  EXPECT_EQ(b.sink->ofType("bye").size(), 1u);
  EXPECT_EQ(hub_->stats().closed.at("overBudget"), 1u);
  EXPECT_EQ(hub_->stats().peersInRooms, 1u);
}

TEST_F(HubTest, HandshakeAndStatusBudgetsAreSeparate) {
  limits_.broadcastBurst = 2;
  limits_.broadcastPerSecond = 0.001;
  rebuild();
  Client a = join("room1");
  Client b = join("room1");
  send(a, R"({"type":"public","data":1})");
  send(a, R"({"type":"public","data":1})");  // over the status budget
  json::object candidate = obj(R"({"type":"candidate","candidate":"c"})");
  candidate["target"] = b.sid;
  for (int i = 0; i < 50; ++i) send(a, candidate);
  EXPECT_EQ(b.sink->ofType("public").size(), 1u);
  EXPECT_EQ(b.sink->ofType("candidate").size(), 50u);
}

// ---- privileged requests --------------------------------------------------------------------

TEST_F(HubTest, GetPeersListsTheRealmForPrivilegedPeersOnly) {
  Client admin = join("room1", obj(R"({"testPrivileged":true})"));
  Client a = join("room1");
  Client b = join("room2");
  Client other = join("room3", obj(R"({"testRealm":"realmB"})"));
  send(a, R"({"type":"getPeers"})");
  EXPECT_TRUE(a.sink->packets.empty());
  EXPECT_EQ(dropped("notPrivileged"), 1u);

  send(admin, R"({"type":"getPeers","showAll":false})");
  auto lists = admin.sink->ofType("peerList");
  ASSERT_EQ(lists.size(), 1u);
  const auto& result = lists[0].at("result").as_object();
  EXPECT_EQ(result.size(), 2u);
  EXPECT_EQ(result.at("name-room1"), json::array({json::string(a.sid)}));
  EXPECT_EQ(result.at("name-room2"), json::array({json::string(b.sid)}));
  admin.sink->clear();

  send(admin, R"({"type":"getPeers","showAll":true})");
  lists = admin.sink->ofType("peerList");
  ASSERT_EQ(lists.size(), 1u);
  EXPECT_EQ(lists[0].at("result").as_object().at("name-room1").as_array().size(), 2u);
  EXPECT_FALSE(lists[0].at("result").as_object().contains("name-room3"));
}

TEST_F(HubTest, IntroduceApproachesTheSendingPeer) {
  Client admin = join("lobby", obj(R"({"testPrivileged":true})"));
  Client a = join("room1", obj(R"({"autoIntroduce":false})"));
  Client b = join("room1", obj(R"({"autoIntroduce":false})"));
  json::object introduce{
      {"type", "introduce"}, {"sendingPeerId", a.sid}, {"receivingPeerId", b.sid}};
  send(admin, introduce);
  auto approach = a.sink->ofType("approach");
  ASSERT_EQ(approach.size(), 1u);
  EXPECT_EQ(approach[0].at("target").as_string(), b.sid);
  EXPECT_TRUE(b.sink->packets.empty());
  EXPECT_TRUE(admin.sink->packets.empty());
  // The approached peer's targeted enter then reaches its partner.
  json::object enter{{"type", "enter"}, {"target", b.sid}};
  send(a, enter);
  EXPECT_EQ(b.sink->ofType("enter").size(), 1u);
}

struct IntroduceErrorCase {
  const char* name;
  const char* reason;
};

class HubIntroduceErrorTest : public HubTest,
                              public ::testing::WithParamInterface<IntroduceErrorCase> {};

TEST_P(HubIntroduceErrorTest, AnswersIntroduceError) {
  Client admin = join("lobby", obj(R"({"testPrivileged":true})"));
  Client plain = join("lobby");
  Client a = join("room1");
  Client b = join("room1");
  Client c = join("room2");
  Client foreign = join("room1x", obj(R"({"testRealm":"realmB"})"));
  const std::string reason = GetParam().reason;
  Client* requester = reason == "notPrivileged" ? &plain : &admin;
  std::string sending = a.sid;
  std::string receiving = b.sid;
  if (reason == "sendingPeerNotFound") sending = "ghost";
  if (reason == "receivingPeerNotFound") receiving = foreign.sid;
  if (reason == "samePeer") receiving = a.sid;
  if (reason == "notInSameRoom") receiving = c.sid;
  send(*requester,
       json::object{
           {"type", "introduce"}, {"sendingPeerId", sending}, {"receivingPeerId", receiving}});
  auto errors = requester->sink->ofType("introduceError");
  ASSERT_EQ(errors.size(), 1u);
  EXPECT_EQ(errors[0].at("reason").as_string(), reason);
  EXPECT_EQ(errors[0].at("sendingPeerId").as_string(), sending);
  EXPECT_EQ(errors[0].at("receivingPeerId").as_string(), receiving);
  EXPECT_TRUE(a.sink->packets.empty());
}

INSTANTIATE_TEST_SUITE_P(
    HubTest, HubIntroduceErrorTest,
    ::testing::Values(IntroduceErrorCase{"notPrivileged", "notPrivileged"},
                      IntroduceErrorCase{"sendingPeerNotFound", "sendingPeerNotFound"},
                      IntroduceErrorCase{"receivingPeerNotFound", "receivingPeerNotFound"},
                      IntroduceErrorCase{"samePeer", "samePeer"},
                      IntroduceErrorCase{"notInSameRoom", "notInSameRoom"}),
    [](const auto& info) { return std::string(info.param.name); });

TEST_F(HubRoomTest, RecordingAnswersNoMediaServer) {
  send(a_, R"({"type":"startRecordingRoom","rid":"room1","target":"MCU"})");
  send(a_, R"({"type":"stopRecordingRoom","rid":"room1","target":"MCU"})");
  auto events = a_.sink->ofType("recordingEvent");
  ASSERT_EQ(events.size(), 2u);
  EXPECT_EQ(events[0].at("action").as_string(), "error");
  EXPECT_EQ(events[0].at("error").as_string(), "no media server");
  EXPECT_TRUE(b_.sink->packets.empty());
}

// ---- admin ----------------------------------------------------------------------------------

TEST_F(HubRoomTest, RoomsSnapshotFiltersByRealm) {
  join("roomB", obj(R"({"testRealm":"realmB"})"));
  EXPECT_EQ(hub_->rooms().size(), 3u);
  auto realmA = hub_->rooms("realmA");
  ASSERT_EQ(realmA.size(), 2u);
  const auto& room1 = realmA[0].roomKey == "room1" ? realmA[0] : realmA[1];
  EXPECT_EQ(room1.name, "name-room1");
  EXPECT_EQ(room1.peers, (std::vector<std::string>{a_.sid, b_.sid, c_.sid}));
  EXPECT_EQ(hub_->rooms("realmB").size(), 1u);
  EXPECT_TRUE(hub_->rooms("nobody").empty());
}

// ---- malformed input ------------------------------------------------------------------------

TEST_F(HubRoomTest, MalformedInputNeverCrashesOrLeaks) {
  // A group entry nested too deep, inside a group that itself is fine.
  const std::string deep =
      R"({"type":"public","data":)" + std::string(100, '[') + std::string(100, ']') + "}";
  const std::string tooDeepGroupEntry =
      json::serialize(json::object{{"type", "group"}, {"lists", json::array{deep}}});
  static constexpr char withNul[] = "{\"type\":\"public\"\0,\"data\":1}";
  std::vector<std::string> inputs = {
      "",
      "{",
      "}",
      "[]",
      "null",
      "true",
      "-1e999999",
      "\"just a string\"",
      "{}",
      R"({"type":null})",
      R"({"type":["offer"]})",
      R"({"type":"offer","target":{"$ne":1},"sdp":"v=0"})",
      R"({"type":"group","lists":[{"type":"public"}]})",
      tooDeepGroupEntry,
      std::string(R"({"type":"public","data":)") + std::string(10'000, '[') +
          std::string(10'000, ']') + "}",
      "{\"type\":\"public\",\"data\":\"\xc3\x28\"}",
      std::string(withNul, sizeof withNul - 1),
      R"({"type":"public","data":1e400})",
      R"({"type":"candidate","target":"x","candidate":"c","label":18446744073709551616})",
  };
  for (const auto& input : inputs) {
    EXPECT_NO_THROW(send(a_, input)) << input.substr(0, 80);
  }
  EXPECT_NO_THROW(hub_->onMessage(9999, R"({"type":"public"})", now_));
  EXPECT_TRUE(d_.sink->packets.empty());
  EXPECT_EQ(a_.sink->closes, 0);
  // The socket is still usable.
  b_.sink->clear();
  send(a_, R"({"type":"public","data":"ok"})");
  EXPECT_EQ(b_.sink->ofType("public").size(), 1u);
}

}  // namespace
}  // namespace aerie
