// The server peer of SFU rooms in the Hub: negotiation goes to it, not to the other members;
// it welcomes a client as "MCU" with the members already there and tells those of the
// newcomer (SkylinkJS 2.x's MCU protocol, ../shared/design/sfu.md §1.4). The media plane here
// only hands out transport parameters; the media itself is tested in the media plane's tests.
#include "HubFixture.hpp"
#include "SdpSamples.hpp"
#include "record/RecordingCatalog.hpp"
#include "sfu/McuPeer.hpp"

#include <filesystem>
#include <unistd.h>

namespace aerie::hubtest {
namespace {

class ParametersOnlyMedia : public MediaPlane {
 public:
  void setEvents(MediaEvents* e) override { events = e; }
  MediaEvents* events = nullptr;
  LocalTransport transportFor(std::string_view, std::string_view sid) override {
    ++opened;
    openedIds.emplace_back(sid);
    return LocalTransport{"u" + std::string(sid.substr(0, 4)), "pwd-of-at-least-22-chars", "AA:BB", "127.0.0.1", 50000};
  }
  void remoteDescription(std::string_view, std::string_view, const SdpDescription&,
                         const std::vector<AcceptedMedia>& accepted) override {
    lastAccepted = accepted;
  }
  LocalTransport restartIce(std::string_view room, std::string_view sid, std::string_view) override {
    ++restarts;
    auto t = transportFor(room, sid);
    t.iceUfrag += "-restarted";
    return t;
  }
  void close(std::string_view, std::string_view id) override {
    ++closed;
    closedIds.emplace_back(id);
  }
  void forward(std::string_view, std::string_view, std::uint32_t) override { ++forwards; }
  void startRecording(std::string_view room, const std::string& directory) override {
    recordingRoom = std::string(room);
    recordingDirectory = directory;
  }
  void stopRecording(std::string_view) override { recordingRoom.clear(); }
  std::string recordingRoom;
  std::string recordingDirectory;

  int opened = 0;
  int closed = 0;
  int restarts = 0;
  int forwards = 0;
  std::vector<AcceptedMedia> lastAccepted;
  std::vector<std::string> openedIds;
  std::vector<std::string> closedIds;
};

class McuPeerTest : public HubTest {
 protected:
  McuPeerTest() : mcu_(media_, limits_) { hub_->setServerPeer(&mcu_); }

  Client joinSfu(std::string_view rid) { return join(rid, obj(R"({"testSfu":true})")); }
  void enter(const Client& c) {
    send(c, obj(R"({"type":"enter","target":"MCU","publisherId":")" + c.sid +
                R"(","agent":"chrome","SMProtocolVersion":"2.1.0","userInfo":{"userData":"me"}})"));
  }

  // The client's offer to MCU, and its answerAck once it applied the server's answer.
  void publish(const Client& c, const std::string& sdp) {
    send(c, json::object{{"type", "offer"}, {"target", "MCU"}, {"sdp", sdp}});
  }
  void ack(const Client& c) { send(c, obj(R"({"type":"answerAck","target":"MCU","success":true})")); }
  // Two members of r1 who entered.
  std::pair<Client, Client> twoEntered() {
    Client a = joinSfu("r1");
    Client b = joinSfu("r1");
    enter(a);
    enter(b);
    return {a, b};
  }

  ParametersOnlyMedia media_;
  McuPeer mcu_;
};

TEST_F(McuPeerTest, AnSfuRoomNeedsTheServerPeer) {
  hub_->setServerPeer(nullptr);
  Client a = connect();
  send(a, obj(R"({"type":"joinRoom","rid":"r1","testSfu":true})"));
  auto redirects = a.sink->ofType("redirect");
  ASSERT_EQ(redirects.size(), 1u);
  EXPECT_EQ(redirects[0].at("action").as_string(), "reject");
  EXPECT_NE(std::string(redirects[0].at("info").as_string()).find("media server"), std::string::npos);
}

TEST_F(McuPeerTest, EnterIsWelcomedByMcuWithThePeersInTheRoom) {
  Client a = joinSfu("r1");
  enter(a);
  auto welcomes = a.sink->ofType("welcome");
  ASSERT_EQ(welcomes.size(), 1u);
  EXPECT_EQ(welcomes[0].at("mid").as_string(), "MCU");
  EXPECT_EQ(welcomes[0].at("rid").as_string(), "r1");
  EXPECT_EQ(welcomes[0].at("target").as_string(), a.sid);
  EXPECT_TRUE(welcomes[0].at("peersInRoom").as_array().empty());
  EXPECT_TRUE(welcomes[0].at("userInfo").as_object().contains("settings"));

  Client b = joinSfu("r1");
  enter(b);
  welcomes = b.sink->ofType("welcome");
  ASSERT_EQ(welcomes.size(), 1u);
  const auto& peers = welcomes[0].at("peersInRoom").as_array();
  ASSERT_EQ(peers.size(), 1u);
  EXPECT_EQ(peers[0].at("mid").as_string(), a.sid);
  EXPECT_EQ(peers[0].at("rid").as_string(), "r1");
  EXPECT_EQ(peers[0].at("agent").as_string(), "chrome");
  EXPECT_EQ(peers[0].at("userInfo").at("userData").as_string(), "me");

  // A hears of B from the server peer, with B as publisherId; B's enter itself is not relayed.
  auto enters = a.sink->ofType("enter");
  ASSERT_EQ(enters.size(), 1u);
  EXPECT_EQ(enters[0].at("publisherId").as_string(), b.sid);
  EXPECT_EQ(enters[0].at("mid").as_string(), b.sid);
  EXPECT_EQ(enters[0].at("target").as_string(), a.sid);
}

TEST_F(McuPeerTest, NegotiationGoesToTheServerPeerOnly) {
  auto [a, b] = twoEntered();
  a.sink->clear();
  b.sink->clear();
  // A 0.6.x-style offer to another member and a candidate: the server peer takes them.
  send(a, obj(R"({"type":"candidate","target":")" + b.sid + R"(","candidate":"c"})"));
  send(a, obj(R"({"type":"welcome","target":")" + b.sid + R"("})"));
  EXPECT_TRUE(b.sink->packets.empty());
  // Chat still goes member to member.
  send(a, obj(R"({"type":"public","data":"hi"})"));
  EXPECT_EQ(b.sink->ofType("public").size(), 1u);
}

TEST_F(McuPeerTest, AnOfferToMcuIsAnsweredFromTheMediaPlane) {
  Client a = joinSfu("r1");
  enter(a);
  a.sink->clear();
  publish(a, sdpsamples::kChromeOffer);
  auto answers = a.sink->ofType("answer");
  ASSERT_EQ(answers.size(), 1u);
  EXPECT_EQ(answers[0].at("mid").as_string(), "MCU");
  EXPECT_TRUE(answers[0].at("mediaInfoList").as_array().empty());
  auto sdp = SdpDescription::parse(answers[0].at("sdp").as_string());
  ASSERT_TRUE(sdp);
  EXPECT_TRUE(sdp->iceLite);
  EXPECT_EQ(sdp->media.size(), 3u);
  EXPECT_EQ(media_.opened, 1);
  ASSERT_EQ(media_.lastAccepted.size(), 3u);
  EXPECT_TRUE(media_.lastAccepted[1].receive);
}

// The sample offer with other SSRCs, for a second publisher.
std::string secondOffer() {
  std::string sdp = sdpsamples::kChromeOffer;
  for (auto [from, to] : {std::pair{"1111", "4444"}, std::pair{"2222", "5555"}, std::pair{"3333", "6666"}}) {
    for (auto at = sdp.find(from); at != std::string::npos; at = sdp.find(from)) sdp.replace(at, 4, to);
  }
  return sdp;
}

std::string thirdOffer() {
  std::string sdp = sdpsamples::kChromeOffer;
  for (auto [from, to] : {std::pair{"1111", "7777"}, std::pair{"2222", "8888"}, std::pair{"3333", "9999"}}) {
    for (auto at = sdp.find(from); at != std::string::npos; at = sdp.find(from)) sdp.replace(at, 4, to);
  }
  return sdp;
}

TEST_F(McuPeerTest, OneOfferCarriesTheTracksOfMembersWhoEnteredTogether) {
  Client a = joinSfu("r1");
  Client b = joinSfu("r1");
  Client c = joinSfu("r1");
  for (const Client* x : {&a, &b, &c}) enter(*x);
  publish(a, sdpsamples::kChromeOffer);
  ack(a);
  publish(b, secondOffer());
  EXPECT_TRUE(a.sink->ofType("offer").empty()) << "C entered and is about to publish";
  publish(c, thirdOffer());
  auto offers = a.sink->ofType("offer");
  ASSERT_EQ(offers.size(), 1u);
  EXPECT_EQ(offers[0].at("mediaInfoList").as_array().size(), 4u) << "B's and C's tracks in one offer";
}

TEST_F(McuPeerTest, AMemberWhoNeverPublishesHoldsTheOthersOffersOnlyForAWhile) {
  std::int64_t clockMs = 0;
  mcu_.setClock([&] { return clockMs; });
  auto [a, b] = twoEntered();
  Client c = joinSfu("r1");
  enter(c);  // and never offers
  publish(a, sdpsamples::kChromeOffer);
  ack(a);
  publish(b, secondOffer());
  EXPECT_TRUE(a.sink->ofType("offer").empty());
  clockMs = 999;
  mcu_.onTick(0);
  EXPECT_TRUE(a.sink->ofType("offer").empty()) << "C may still publish";
  clockMs = 1000;
  mcu_.onTick(0);
  auto offers = a.sink->ofType("offer");
  ASSERT_EQ(offers.size(), 1u);
  EXPECT_EQ(offers[0].at("mediaInfoList").as_array().size(), 2u);
}

TEST_F(McuPeerTest, APublisherSTracksAreOfferedToTheOthersAndForwardedOnceAnswered) {
  auto [a, b] = twoEntered();
  publish(a, sdpsamples::kChromeOffer);
  ack(a);
  a.sink->clear();
  publish(b, secondOffer());
  // A is offered B's two tracks, each on a section of its own, mapped to B by mediaInfoList.
  auto offers = a.sink->ofType("offer");
  ASSERT_EQ(offers.size(), 1u);
  EXPECT_EQ(offers[0].at("mid").as_string(), "MCU");
  const auto& infos = offers[0].at("mediaInfoList").as_array();
  ASSERT_EQ(infos.size(), 2u);
  for (const auto& info : infos) EXPECT_EQ(info.at("publisherId").as_string(), b.sid);
  auto sdp = SdpDescription::parse(offers[0].at("sdp").as_string());
  ASSERT_TRUE(sdp);
  ASSERT_EQ(sdp->media.size(), 5u) << "A's three sections and B's two";
  EXPECT_EQ(sdp->media[3].direction, SdpDirection::SendOnly);
  EXPECT_EQ(sdp->media[3].mid, infos[0].at("transceiverMid").as_string());
  EXPECT_EQ(sdp->media[3].ssrcs.at(0).ssrc, 4444u);
  EXPECT_EQ(sdp->setupOf(sdp->media[0]), "actpass");
  EXPECT_EQ(media_.forwards, 0) << "nothing flows before A answers";
  // A answers: the server acknowledges, and media flows.
  send(a, obj(R"({"type":"answer","target":"MCU","sdp":"v=0\r\n"})"));
  EXPECT_EQ(a.sink->ofType("answerAck").size(), 1u);
  EXPECT_EQ(media_.forwards, 2);
  // B leaves: A's sections for it go inactive, its media unavailable.
  a.sink->clear();
  hub_->disconnect(b.id, now_);
  offers = a.sink->ofType("offer");
  ASSERT_EQ(offers.size(), 1u);
  sdp = SdpDescription::parse(offers[0].at("sdp").as_string());
  ASSERT_TRUE(sdp);
  EXPECT_EQ(sdp->media[3].direction, SdpDirection::Inactive);
  EXPECT_EQ(offers[0].at("mediaInfoList").as_array()[0].at("mediaState").as_string(), "unavailable");
}

TEST_F(McuPeerTest, WhenOffersCrossTheClientWinsAndTheServerOffersAgainAfter) {
  auto [a, b] = twoEntered();
  publish(a, sdpsamples::kChromeOffer);
  ack(a);
  publish(b, secondOffer());  // the server offers B's tracks to A
  ASSERT_EQ(a.sink->ofType("offer").size(), 1u);
  a.sink->clear();
  // A renegotiates at the same moment and ignores the server's offer (its weight is higher).
  publish(a, sdpsamples::kChromeOffer);
  auto answers = a.sink->ofType("answer");
  ASSERT_EQ(answers.size(), 1u);
  EXPECT_TRUE(answers[0].at("mediaInfoList").as_array().empty()) << "B's sections were not agreed yet";
  EXPECT_EQ(media_.forwards, 0);
  // Once A acknowledges the answer, the server offers B's tracks again; A's answer starts them.
  ack(a);
  auto offers = a.sink->ofType("offer");
  ASSERT_EQ(offers.size(), 1u);
  EXPECT_EQ(offers[0].at("mediaInfoList").as_array().size(), 2u);
  send(a, obj(R"({"type":"answer","target":"MCU","sdp":"v=0\r\n"})"));
  EXPECT_EQ(media_.forwards, 2);
}

TEST_F(McuPeerTest, AnOfferWithANewUfragRestartsIce) {
  Client a = joinSfu("r1");
  enter(a);
  publish(a, sdpsamples::kChromeOffer);
  ack(a);
  publish(a, sdpsamples::kChromeOffer);  // a renegotiation, same ICE credentials
  ack(a);
  EXPECT_EQ(media_.restarts, 0);
  std::string restarted = sdpsamples::kChromeOffer;
  for (auto at = restarted.find("Yx7m"); at != std::string::npos; at = restarted.find("Yx7m")) restarted.replace(at, 4, "Zq8n");
  a.sink->clear();
  publish(a, restarted);
  EXPECT_EQ(media_.restarts, 1);
  auto answers = a.sink->ofType("answer");
  ASSERT_EQ(answers.size(), 1u);
  auto sdp = SdpDescription::parse(answers[0].at("sdp").as_string());
  ASSERT_TRUE(sdp);
  EXPECT_TRUE(sdp->ufragOf(sdp->media[0]).ends_with("-restarted")) << "new local credentials in the answer";
}

TEST_F(McuPeerTest, TracksPerPeerAreLimited) {
  limits_.maxTracksPerPeer = 1;
  auto [a, b] = twoEntered();
  publish(a, sdpsamples::kChromeOffer);
  ack(a);
  a.sink->clear();
  publish(b, secondOffer());
  EXPECT_EQ(b.sink->ofType("answer").size(), 1u) << "the offer is still answered";
  auto offers = a.sink->ofType("offer");
  ASSERT_EQ(offers.size(), 1u);
  EXPECT_EQ(offers[0].at("mediaInfoList").as_array().size(), 1u) << "one of B's two tracks";
}

TEST_F(McuPeerTest, AnOfferOverTheSdpLimitIsNotAnswered) {
  limits_.maxSdpMediaSections = 2;
  Client a = joinSfu("r1");
  enter(a);
  a.sink->clear();
  send(a, json::object{{"type", "offer"}, {"target", "MCU"}, {"sdp", sdpsamples::kChromeOffer}});
  EXPECT_TRUE(a.sink->ofType("answer").empty());
  EXPECT_EQ(media_.opened, 0);
}

TEST_F(McuPeerTest, MediaInfoEventsReachTheOthersWithThePublisher) {
  auto [a, b] = twoEntered();
  b.sink->clear();
  send(a, obj(R"({"type":"mediaInfoEvent","target":"MCU","mediaId":"AUDIO_1","mediaState":"muted"})"));
  auto events = b.sink->ofType("mediaInfoEvent");
  ASSERT_EQ(events.size(), 1u);
  EXPECT_EQ(events[0].at("publisherId").as_string(), a.sid);
  EXPECT_EQ(events[0].at("mediaState").as_string(), "muted");
}

TEST_F(McuPeerTest, ALeaveClosesTheTransportAndByeStillReachesTheRoom) {
  auto [a, b] = twoEntered();
  hub_->disconnect(a.id, now_);
  EXPECT_EQ(media_.closed, 1);
  EXPECT_EQ(b.sink->ofType("bye").size(), 1u);
}

TEST_F(McuPeerTest, TheActiveSpeakerIsAnnouncedToTheRoom) {
  auto [a, b] = twoEntered();
  ASSERT_NE(media_.events, nullptr) << "the server peer listens to the media plane";
  media_.events->onActiveSpeaker("r1", a.sid);
  for (const Client* c : {&a, &b}) {
    auto events = c->sink->ofType("activeSpeaker");
    ASSERT_EQ(events.size(), 1u);
    EXPECT_EQ(events[0].at("publisherId").as_string(), a.sid);
    EXPECT_EQ(events[0].at("mid").as_string(), "MCU");
  }
}

TEST_F(McuPeerTest, ALostTransportWithdrawsTheTracksAndTellsItsClientWhoMayStartOver) {
  auto [a, b] = twoEntered();
  publish(a, sdpsamples::kChromeOffer);
  ack(a);
  publish(b, secondOffer());
  ack(b);
  send(a, obj(R"({"type":"answer","target":"MCU","sdp":"v=0\r\n"})"));  // A takes B's tracks
  a.sink->clear();
  b.sink->clear();
  // B's consent lapsed (or its DTLS failed): the media plane closed its transport.
  media_.events->onTransportLost("r1", b.sid);
  // B hears bye from MCU about MCU: its connection to the server is over.
  auto byes = b.sink->ofType("bye");
  ASSERT_EQ(byes.size(), 1u);
  EXPECT_EQ(byes[0].at("mid").as_string(), "MCU");
  EXPECT_EQ(byes[0].at("publisherId").as_string(), "MCU");
  // A's sections for B go inactive; A itself is still in the room (no bye about B).
  auto offers = a.sink->ofType("offer");
  ASSERT_EQ(offers.size(), 1u);
  auto sdp = SdpDescription::parse(offers[0].at("sdp").as_string());
  ASSERT_TRUE(sdp);
  EXPECT_EQ(sdp->media[3].direction, SdpDirection::Inactive);
  EXPECT_TRUE(a.sink->ofType("bye").empty());
  send(a, obj(R"({"type":"answer","target":"MCU","sdp":"v=0\r\n"})"));
  // B enters and offers again on a new connection: it is answered afresh, gets A's tracks, and
  // A is offered B's again.
  const int opened = media_.opened;
  a.sink->clear();
  b.sink->clear();
  enter(b);
  EXPECT_EQ(b.sink->ofType("welcome").size(), 1u);
  EXPECT_TRUE(a.sink->ofType("enter").empty()) << "A knows B already";
  publish(b, secondOffer());
  EXPECT_GT(media_.opened, opened);
  EXPECT_EQ(media_.restarts, 0) << "a new transport, not an ICE restart of the lost one";
  EXPECT_EQ(b.sink->ofType("answer").size(), 1u);
  ack(b);
  EXPECT_EQ(b.sink->ofType("offer").size(), 1u) << "A's tracks, offered to B's new connection";
  EXPECT_EQ(a.sink->ofType("offer").size(), 1u) << "B's tracks, offered to A again";
}

TEST_F(McuPeerTest, AnSfuRoomTakesAtMostMaxSubscribersPerRoom) {
  limits_.maxSubscribersPerRoom = 2;
  rebuild();
  hub_->setServerPeer(&mcu_);
  auto [a, b] = twoEntered();
  Client c = connect();
  send(c, obj(R"({"type":"joinRoom","rid":"r1","testSfu":true})"));
  auto redirects = c.sink->ofType("redirect");
  ASSERT_EQ(redirects.size(), 1u);
  EXPECT_EQ(redirects[0].at("action").as_string(), "reject");
  EXPECT_NE(std::string(redirects[0].at("info").as_string()).find("full (2 peers)"), std::string::npos);
  // A mesh room is not bound by it.
  Client m1 = join("mesh");
  Client m2 = join("mesh");
  Client m3 = join("mesh");
  EXPECT_TRUE(m3.sink->ofType("redirect").empty());
}

// SkylinkJS 0.6.x's offer on its connection to another peer: receive only, no tracks of its own.
std::string receiveOnlyOffer() {
  std::string sdp = sdpsamples::kChromeOffer;
  for (auto at = sdp.find("a=sendrecv"); at != std::string::npos; at = sdp.find("a=sendrecv")) sdp.replace(at, 10, "a=recvonly");
  std::string out;
  for (std::size_t at = 0; at < sdp.size();) {
    const auto end = sdp.find('\n', at);
    const std::string line = sdp.substr(at, end == std::string::npos ? std::string::npos : end - at + 1);
    if (line.rfind("a=ssrc", 0) != 0 && line.rfind("a=msid:", 0) != 0) out += line;
    at = end == std::string::npos ? sdp.size() : end + 1;
  }
  return out;
}

TEST_F(McuPeerTest, ASkylink06ClientGetsAWelcomeAndADownlinkAnsweredAsEachPublisher) {
  Client a = joinSfu("r1");
  enter(a);
  publish(a, sdpsamples::kChromeOffer);
  ack(a);
  Client l = joinSfu("r1");
  // 0.6.x broadcasts its enter (no target, no publisherId).
  send(l, obj(R"({"type":"enter","agent":"chrome","SMProtocolVersion":"0.1.2.4","userInfo":{"userData":"old"}})"));
  auto welcomes = l.sink->ofType("welcome");
  ASSERT_EQ(welcomes.size(), 1u);
  EXPECT_EQ(welcomes[0].at("mid").as_string(), "MCU");
  EXPECT_EQ(a.sink->ofType("enter").size(), 1u) << "the 2.x member hears of the 0.6 one";
  // Its uplink: answered by MCU; then A, who publishes, welcomes it.
  a.sink->clear();
  send(l, json::object{{"type", "offer"}, {"target", "MCU"}, {"sdp", secondOffer()}});
  ASSERT_EQ(l.sink->ofType("answer").size(), 1u);
  welcomes = l.sink->ofType("welcome");
  ASSERT_EQ(welcomes.size(), 2u);
  EXPECT_EQ(welcomes[1].at("mid").as_string(), a.sid);
  EXPECT_EQ(welcomes[1].at("userInfo").at("userData").as_string(), "me");
  EXPECT_EQ(a.sink->ofType("offer").size(), 1u) << "A is offered L's tracks on its one connection";
  // L's connection to A: answered as A, on a transport of its own, with A's two tracks.
  const int forwards = media_.forwards;
  send(l, json::object{{"type", "offer"}, {"target", a.sid}, {"sdp", receiveOnlyOffer()}});
  auto answers = l.sink->ofType("answer");
  ASSERT_EQ(answers.size(), 2u);
  EXPECT_EQ(answers[1].at("mid").as_string(), a.sid);
  EXPECT_EQ(media_.openedIds.back(), l.sid + ">" + a.sid);
  auto sdp = SdpDescription::parse(answers[1].at("sdp").as_string());
  ASSERT_TRUE(sdp);
  EXPECT_EQ(sdp->media[0].direction, SdpDirection::SendOnly);
  EXPECT_EQ(sdp->media[0].ssrcs.at(0).ssrc, 1111u);
  EXPECT_EQ(sdp->media[1].ssrcs.at(0).ssrc, 2222u);
  EXPECT_EQ(media_.forwards, forwards + 2);
  // A leaves: L's downlink from A closes.
  hub_->disconnect(a.id, now_);
  EXPECT_NE(std::find(media_.closedIds.begin(), media_.closedIds.end(), l.sid + ">" + a.sid), media_.closedIds.end());
}

TEST_F(McuPeerTest, AnAutoRoomGoesThroughTheServerPastTheThresholdAndBackBelowIt) {
  limits_.autoSfuPeers = 2;
  rebuild();
  hub_->setServerPeer(&mcu_);
  const auto switchable = obj(R"({"testAuto":true,"mediaSwitch":true})");
  Client a = connect();
  send(a, obj(R"({"type":"joinRoom","rid":"auto","testAuto":true,"mediaSwitch":true})"));
  auto inRoom = a.sink->ofType("inRoom");
  ASSERT_EQ(inRoom.size(), 1u);
  EXPECT_EQ(inRoom[0].at("mediaMode").as_string(), "mesh");
  a.sid = std::string(inRoom[0].at("sid").as_string());
  a.sink->clear();
  Client b = join("auto", switchable);
  // A mesh: enter goes member to member.
  send(b, obj(R"({"type":"enter"})"));
  EXPECT_EQ(a.sink->ofType("enter").size(), 1u);
  EXPECT_TRUE(a.sink->ofType("mediaMode").empty());
  // The third join makes it larger than 2: everyone hears mediaMode sfu, and MCU welcomes.
  Client c = join("auto", switchable);  // (it learns the mode from its inRoom)
  for (const Client* x : {&a, &b}) {
    auto modes = x->sink->ofType("mediaMode");
    ASSERT_EQ(modes.size(), 1u);
    EXPECT_EQ(modes[0].at("mode").as_string(), "sfu");
  }
  enter(a);
  EXPECT_EQ(a.sink->ofType("welcome").size(), 1u);
  EXPECT_EQ(a.sink->ofType("welcome")[0].at("mid").as_string(), "MCU");
  publish(a, sdpsamples::kChromeOffer);
  EXPECT_EQ(a.sink->ofType("answer").size(), 1u);
  // Two leave: one member left, below 2: back to a mesh, the server's transports closed.
  const int closed = media_.closed;
  hub_->disconnect(c.id, now_);
  EXPECT_EQ(a.sink->ofType("mediaMode").size(), 1u) << "2 is not below 2";
  hub_->disconnect(b.id, now_);
  auto modes = a.sink->ofType("mediaMode");
  ASSERT_EQ(modes.size(), 2u);
  EXPECT_EQ(modes[1].at("mode").as_string(), "mesh");
  EXPECT_GT(media_.closed, closed);
}

TEST_F(McuPeerTest, TheJoinThatSwitchesAnAutoRoomSaysSoInItsInRoom) {
  limits_.autoSfuPeers = 1;
  rebuild();
  hub_->setServerPeer(&mcu_);
  Client a = join("auto", obj(R"({"testAuto":true,"mediaSwitch":true})"));
  Client b = connect();
  send(b, obj(R"({"type":"joinRoom","rid":"auto","testAuto":true,"mediaSwitch":true})"));
  auto inRoom = b.sink->ofType("inRoom");
  ASSERT_EQ(inRoom.size(), 1u);
  EXPECT_EQ(inRoom[0].at("mediaMode").as_string(), "sfu") << "it goes to MCU at once, never into the mesh";
  EXPECT_TRUE(b.sink->ofType("mediaMode").empty()) << "its inRoom said it";
  ASSERT_EQ(a.sink->ofType("mediaMode").size(), 1u);
  b.sid = std::string(inRoom[0].at("sid").as_string());
  enter(b);
  EXPECT_EQ(b.sink->ofType("welcome").size(), 1u) << "MCU knows the newcomer";
}

TEST_F(McuPeerTest, AnAppsOwnSwitchPointWinsOverTheServers) {
  limits_.autoSfuPeers = 4;
  rebuild();
  hub_->setServerPeer(&mcu_);
  // The app says 2: the third join switches, where the server's 4 would wait for a fifth.
  const auto k2 = obj(R"({"testAuto":true,"mediaSwitch":true,"testAutoSfuPeers":2})");
  Client a = join("auto-k", k2);
  Client b = join("auto-k", k2);
  EXPECT_TRUE(a.sink->ofType("mediaMode").empty());
  Client c = join("auto-k", k2);
  auto modes = a.sink->ofType("mediaMode");
  ASSERT_EQ(modes.size(), 1u);
  EXPECT_EQ(modes[0].at("mode").as_string(), "sfu");
  // Below 2 again: a mesh.
  hub_->disconnect(c.id, now_);
  EXPECT_EQ(a.sink->ofType("mediaMode").size(), 1u);
  hub_->disconnect(b.id, now_);
  modes = a.sink->ofType("mediaMode");
  ASSERT_EQ(modes.size(), 2u);
  EXPECT_EQ(modes[1].at("mode").as_string(), "mesh");
  // Without one, the server's: four members stay a mesh.
  const auto dflt = obj(R"({"testAuto":true,"mediaSwitch":true})");
  Client d = join("auto-d", dflt);
  for (int i = 0; i < 3; ++i) join("auto-d", dflt);
  EXPECT_TRUE(d.sink->ofType("mediaMode").empty());
}

TEST_F(McuPeerTest, AnAutoRoomWithAClientThatCannotSwitchStaysAMesh) {
  limits_.autoSfuPeers = 1;
  rebuild();
  hub_->setServerPeer(&mcu_);
  Client a = join("auto", obj(R"({"testAuto":true,"mediaSwitch":true})"));
  Client b = join("auto", obj(R"({"testAuto":true})"));  // SkylinkJS: no mediaSwitch
  Client c = join("auto", obj(R"({"testAuto":true,"mediaSwitch":true})"));
  EXPECT_TRUE(a.sink->ofType("mediaMode").empty());
  send(c, obj(R"({"type":"enter"})"));
  EXPECT_EQ(a.sink->ofType("enter").size(), 1u) << "still a mesh";
}

TEST_F(McuPeerTest, MeshRoomsAreUntouched) {
  Client a = join("mesh");
  Client b = join("mesh");
  send(b, obj(R"({"type":"enter"})"));
  EXPECT_EQ(a.sink->ofType("enter").size(), 1u);
  EXPECT_TRUE(b.sink->ofType("welcome").empty());
}

}  // namespace
}  // namespace aerie::hubtest

namespace aerie::hubtest {
namespace {

class McuRecordingTest : public McuPeerTest {
 protected:
  McuRecordingTest() { mcu_.setRecordings(&catalog_); }
  ~McuRecordingTest() override { std::filesystem::remove_all(root_); }
  std::string root_ = (std::filesystem::temp_directory_path() / ("aerie-mcu-rec-" + std::to_string(::getpid()))).string();
  RecordingCatalog catalog_{root_, 1};
};

TEST_F(McuRecordingTest, StartAndStopTellEveryMemberOnOffAndUrl) {
  auto [a, b] = twoEntered();
  send(a, obj(R"({"type":"startRecordingRoom","rid":"r1","target":"MCU"})"));
  for (const auto* c : {&a, &b}) {
    auto events = c->sink->ofType("recordingEvent");
    ASSERT_EQ(events.size(), 1u);
    EXPECT_EQ(events[0].at("action").as_string(), "on");
    EXPECT_EQ(events[0].at("mid").as_string(), "MCU");
  }
  const std::string id(a.sink->ofType("recordingEvent")[0].at("recordingId").as_string());
  EXPECT_FALSE(media_.recordingRoom.empty());
  EXPECT_EQ(media_.recordingDirectory, root_ + "/" + id);
  auto info = catalog_.find(id);
  ASSERT_TRUE(info);
  EXPECT_EQ(info->room, "name-r1");
  EXPECT_TRUE(info->active);

  // Twice: an error to the sender only (2.x sends REC_SRV as the target too).
  send(b, obj(R"({"type":"startRecordingRoom","rid":"r1","target":"REC_SRV"})"));
  auto events = b.sink->ofType("recordingEvent");
  ASSERT_EQ(events.size(), 2u);
  EXPECT_EQ(events[1].at("action").as_string(), "error");
  EXPECT_EQ(events[1].at("error").as_string(), "already recording");
  EXPECT_EQ(a.sink->ofType("recordingEvent").size(), 1u);

  send(b, obj(R"({"type":"stopRecordingRoom","rid":"r1","target":"MCU"})"));
  for (const auto* c : {&a, &b}) {
    auto all = c->sink->ofType("recordingEvent");
    ASSERT_GE(all.size(), 3u);
    const auto& off = all[all.size() - 2];
    const auto& url = all.back();
    EXPECT_EQ(off.at("action").as_string(), "off");
    EXPECT_EQ(off.at("recordingId").as_string(), id);
    EXPECT_EQ(url.at("action").as_string(), "url");
    EXPECT_EQ(url.at("url").as_string(), "/admin/v1/recordings/" + id);
    EXPECT_FALSE(url.contains("urls"));
  }
  EXPECT_TRUE(media_.recordingRoom.empty());
  EXPECT_FALSE(catalog_.find(id)->active);
  EXPECT_FALSE(catalog_.find(id)->endedAt.empty());

  send(a, obj(R"({"type":"stopRecordingRoom","rid":"r1","target":"MCU"})"));
  EXPECT_EQ(a.sink->ofType("recordingEvent").back().at("error").as_string(), "not recording");
}

TEST_F(McuRecordingTest, MaxConcurrentRecordingsAndALimitThatStopsOne) {
  auto [a, b] = twoEntered();
  Client c = joinSfu("r2");
  enter(c);
  send(a, obj(R"({"type":"startRecordingRoom","rid":"r1","target":"MCU"})"));
  send(c, obj(R"({"type":"startRecordingRoom","rid":"r2","target":"MCU"})"));
  EXPECT_EQ(c.sink->ofType("recordingEvent").back().at("error").as_string(), "too many recordings");
  // The media plane stops r1's recording by itself (max-recording-seconds).
  media_.events->onRecordingStopped(media_.recordingRoom, "max-recording-seconds reached");
  auto events = b.sink->ofType("recordingEvent");
  ASSERT_EQ(events.size(), 4u);
  EXPECT_EQ(events[1].at("action").as_string(), "error");
  EXPECT_EQ(events[1].at("error").as_string(), "max-recording-seconds reached");
  EXPECT_EQ(events[2].at("action").as_string(), "off");
  EXPECT_EQ(events[3].at("action").as_string(), "url");
  send(c, obj(R"({"type":"startRecordingRoom","rid":"r2","target":"MCU"})"));
  EXPECT_EQ(c.sink->ofType("recordingEvent").back().at("action").as_string(), "on");
}

TEST_F(McuRecordingTest, ANewcomerHearsThatTheRoomIsBeingRecorded) {
  auto [a, b] = twoEntered();
  send(a, obj(R"({"type":"startRecordingRoom","rid":"r1","target":"MCU"})"));
  const std::string id(a.sink->ofType("recordingEvent")[0].at("recordingId").as_string());
  Client c = joinSfu("r1");
  enter(c);
  auto events = c.sink->ofType("recordingEvent");
  ASSERT_EQ(events.size(), 1u);
  EXPECT_EQ(events[0].at("action").as_string(), "on");
  EXPECT_EQ(events[0].at("recordingId").as_string(), id);
  EXPECT_EQ(a.sink->ofType("recordingEvent").size(), 1u);  // the others heard it once
  send(a, obj(R"({"type":"stopRecordingRoom","rid":"r1","target":"MCU"})"));
  Client d = joinSfu("r1");
  enter(d);
  EXPECT_TRUE(d.sink->ofType("recordingEvent").empty());
}

TEST_F(McuRecordingTest, TheLastMemberLeavingEndsTheRecording) {
  Client a = joinSfu("r1");
  enter(a);
  send(a, obj(R"({"type":"startRecordingRoom","rid":"r1","target":"MCU"})"));
  const std::string id(a.sink->ofType("recordingEvent")[0].at("recordingId").as_string());
  send(a, obj(R"({"type":"bye"})"));
  EXPECT_TRUE(media_.recordingRoom.empty());
  EXPECT_FALSE(catalog_.find(id)->active);
}

}  // namespace
}  // namespace aerie::hubtest
