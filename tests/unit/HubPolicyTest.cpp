// The Hub: group bundles, rate limits, privileged requests, admin snapshots, malformed input.
#include "HubFixture.hpp"

namespace aerie {
namespace {

using namespace hubtest;
namespace json = boost::json;

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

// SkylinkJS 0.5.x may put message objects (not JSON strings) in `lists`: each is taken as the
// message it spells, in order, and forwarded as a JSON string like any other entry.
TEST_F(HubRoomTest, GroupEntriesMayBeObjects) {
  json::array lists;
  lists.emplace_back(json::object{{"type", "muteAudioEvent"}, {"muted", true}, {"stamp", 1}});
  lists.emplace_back(R"({"type":"public","data":"chat"})");
  lists.emplace_back(json::object{{"type", "roomLockEvent"}, {"lock", true}});
  lists.emplace_back(json::object{{"type", "offer"}, {"sdp", "v=0"}, {"target", b_.sid}});
  send(a_, json::object{{"type", "group"}, {"lists", lists}});
  auto groups = b_.sink->ofType("group");
  ASSERT_EQ(groups.size(), 1u);
  const auto& out = groups[0].at("lists").as_array();
  ASSERT_EQ(out.size(), 3u);
  const char* types[] = {"muteAudioEvent", "public", "roomLockEvent"};
  for (std::size_t i = 0; i < out.size(); ++i) {
    auto entry = json::parse(out[i].as_string()).as_object();
    EXPECT_EQ(entry.at("type").as_string(), types[i]);
    EXPECT_EQ(entry.at("mid").as_string(), a_.sid);
  }
  EXPECT_EQ(dropped("notGroupable"), 1u);
  // The lock inside the group is the room's lock (0.5.x bundles roomLockEvent).
  EXPECT_TRUE(hub_->rooms("realmA").at(0).locked);
  Client late = connect();
  send(late, R"({"type":"joinRoom","rid":"room1"})");
  auto redirects = late.sink->ofType("redirect");
  ASSERT_EQ(redirects.size(), 1u);
  EXPECT_EQ(redirects[0].at("reason").as_string(), "locked");
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
