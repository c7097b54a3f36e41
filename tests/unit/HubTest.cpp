// The Hub: joining, routing, locks and limits, leaving.
#include "HubFixture.hpp"

namespace aerie {
namespace {

using namespace hubtest;
namespace json = boost::json;

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
  send(c_, enter);
  EXPECT_TRUE(b_.sink->packets.empty());
  EXPECT_TRUE(a_.sink->packets.empty());
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
  send(c, R"({"type":"enter"})");
  EXPECT_TRUE(quiet.sink->packets.empty());
  EXPECT_EQ(a.sink->ofType("enter").size(), 1u);
  a.sink->clear();
  send(quiet, R"({"type":"enter"})");
  EXPECT_TRUE(a.sink->packets.empty());
  EXPECT_TRUE(c.sink->packets.empty());
  // Everything else still reaches it.
  send(a, R"({"type":"public","data":1})");
  EXPECT_EQ(quiet.sink->ofType("public").size(), 1u);
}

// Two peers that join at once must not both get the other's enter before any welcome (SkylinkJS
// 2.7.2 then answers both and nobody offers): an untargeted enter reaches only the members that
// joined before its sender, stamped as from the sender, in join order.
TEST_F(HubRoomTest, UntargetedEnterGoesOnlyToElderMembers) {
  send(c_, R"({"type":"enter","weight":5,"userInfo":{}})");
  for (Client* elder : {&a_, &b_}) {
    auto enters = elder->sink->ofType("enter");
    ASSERT_EQ(enters.size(), 1u);
    EXPECT_EQ(enters[0].at("mid").as_string(), c_.sid);
    EXPECT_EQ(enters[0].at("rid").as_string(), "room1");
  }
  a_.sink->clear();
  b_.sink->clear();
  send(b_, R"({"type":"enter"})");  // the middle one: heard by a only
  EXPECT_EQ(a_.sink->ofType("enter").size(), 1u);
  EXPECT_TRUE(c_.sink->packets.empty());
  a_.sink->clear();
  send(a_, R"({"type":"enter"})");  // the eldest: heard by nobody
  EXPECT_TRUE(b_.sink->packets.empty());
  EXPECT_TRUE(c_.sink->packets.empty());
  EXPECT_TRUE(d_.sink->packets.empty());
  // A targeted enter (after introduce, or a 0.6.x refresh) still reaches a younger peer.
  json::object targeted = obj(R"({"type":"enter"})");
  targeted["target"] = c_.sid;
  send(a_, targeted);
  EXPECT_EQ(c_.sink->ofType("enter").size(), 1u);
  // A peer that rejoins is the youngest again: its enter reaches everyone else.
  a_.sink->clear();
  b_.sink->clear();
  c_.sink->clear();
  rejoin(a_, "room1");
  send(a_, R"({"type":"enter"})");
  EXPECT_EQ(b_.sink->ofType("enter").size(), 1u);
  EXPECT_EQ(c_.sink->ofType("enter").size(), 1u);
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

// The room's owner (aerie's app shows it the record button): the member longest in the room,
// named in every inRoom, and in the bye of an owner, for the next one.
TEST_F(HubTest, TheOwnerIsTheMemberLongestInTheRoom) {
  Client a = connect();
  send(a, R"({"type":"joinRoom","rid":"owned"})");
  const auto aInRoom = a.sink->ofType("inRoom").at(0);
  const auto aSid = aInRoom.at("sid").as_string();
  EXPECT_EQ(aInRoom.at("owner").as_string(), aSid);  // whoever makes the room owns it
  Client b = connect();
  send(b, R"({"type":"joinRoom","rid":"owned"})");
  EXPECT_EQ(b.sink->ofType("inRoom").at(0).at("owner").as_string(), aSid);
  Client c = connect();
  send(c, R"({"type":"joinRoom","rid":"owned"})");
  const auto bSid = b.sink->ofType("inRoom").at(0).at("sid").as_string();
  const auto cSid = c.sink->ofType("inRoom").at(0).at("sid").as_string();
  // A member who is not the owner leaves: no owner in its bye.
  hub_->disconnect(c.id, now_);
  auto byes = b.sink->ofType("bye");
  ASSERT_EQ(byes.size(), 1u);
  EXPECT_EQ(byes[0].at("mid").as_string(), cSid);
  EXPECT_FALSE(byes[0].contains("owner"));
  // The owner leaves: the next longest in the room owns it, and hears so.
  send(a, R"({"type":"bye"})");
  byes = b.sink->ofType("bye");
  ASSERT_EQ(byes.size(), 2u);
  EXPECT_EQ(byes[1].at("mid").as_string(), aSid);
  EXPECT_EQ(byes[1].at("owner").as_string(), bSid);
  // Joining again makes the old owner the newest member.
  send(a, R"({"type":"joinRoom","rid":"owned"})");
  EXPECT_EQ(a.sink->ofType("inRoom").back().at("owner").as_string(), bSid);
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

}  // namespace
}  // namespace aerie
