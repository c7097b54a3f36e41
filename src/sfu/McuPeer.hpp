#pragma once
// The media server's peer ("MCU") in SFU rooms, as SkylinkJS 2.x speaks to it
// (../shared/design/sfu.md §1.4): a client's `enter` to MCU gets a `welcome` from MCU listing
// the members already there (`peersInRoom`), and the others hear a forwarded `enter` with
// `publisherId`; the client's `offer` to MCU gets an `answer` from the media plane's transport
// (SdpAnswer) and an `answerAck` once applied...
//
// SkylinkJS 0.6.x (SMProtocolVersion 0.x, §1.3 and §1.7) keeps one connection per remote peer:
// its uplink to MCU carries what it publishes, and for every other publisher X the server sends
// it a `welcome` as X, the client offers a connection to X (receive only), and the server
// answers as X with X's tracks on a transport of its own (a downlink). Both kinds share a room:
// a 2.x member gets a 0.6 member's tracks by renegotiation, a 0.6 member a 2.x member's by a
// downlink. One McuPeer per Hub shard, on its loop.
#include <boost/json/object.hpp>
#include <chrono>
#include <functional>
#include <map>
#include <string>
#include <vector>

#include "core/Limits.hpp"
#include "hub/ServerPeer.hpp"
#include "sfu/MediaPlane.hpp"

namespace aerie {

class RecordingCatalog;

class McuPeer : public ServerPeer, private MediaEvents {
 public:
  McuPeer(MediaPlane& media, const Limits& limits) : media_(media), limits_(limits) {
    media_.setEvents(this);
  }
  ~McuPeer() override { media_.setEvents(nullptr); }
  McuPeer(const McuPeer&) = delete;
  McuPeer& operator=(const McuPeer&) = delete;

  void setOutbox(ServerPeerOutbox* outbox) override { outbox_ = outbox; }
  // Where recordings go (one catalog per process); without one, `startRecordingRoom` is
  // answered with an error.
  void setRecordings(RecordingCatalog* catalog) { recordings_ = catalog; }
  void onJoined(std::string_view roomKey, const ServerPeerMember& member) override;
  void onMessage(std::string_view roomKey, std::string_view fromSid,
                 const boost::json::object& msg) override;
  void onLeft(std::string_view roomKey, std::string_view sid) override;
  void onRoomEnded(std::string_view roomKey) override;
  // Sends the offers that waited for a member who entered and has not published (see
  // kPublishWaitMs in McuPeer.cpp) once that wait is over.
  void onTick(std::int64_t nowMs) override;
  // The clock of that wait, in ms (steady_clock unless a test sets one).
  void setClock(std::function<std::int64_t()> clock) { clock_ = std::move(clock); }

  // The fields of the server peer's own `welcome` and `enter` (agent, versions, flags).
  static boost::json::object ownFields();

 private:
  enum class MemberState { Joined, Entered };
  // The negotiation of the member's one connection to the server (SkylinkJS 2.x keeps a
  // local answer until its answerAck, and an offer until its answer: one at a time).
  enum class Negotiation {
    None,         // no offer from the client yet
    AwaitingAck,  // the server answered the client's offer; the client's answerAck is due
    OfferSent,    // the server offered (new tracks to forward); the client's answer is due
    Stable,
  };
  // A track a member publishes, and what the others are told about it.
  struct Published {
    ForwardedTrack track;         // mid: the publisher's own
    boost::json::object mediaInfo;  // from the publisher's mediaInfoList
  };
  struct Member {
    std::string sid;
    MemberState state = MemberState::Joined;
    std::int64_t enteredAtMs = 0;  // its first enter, by clock_
    boost::json::object enter;  // what its `enter` said about it (userInfo, agent, versions)
    Negotiation negotiation = Negotiation::None;
    std::string lastLocal;  // the server's last description for this connection
    std::string remoteUfrag;  // the client's ICE ufrag: a new one in an offer is an ICE restart
    std::vector<Published> published;
    struct Sent {
      std::string publisherId;
      ForwardedTrack track;  // mid: the section in this member's session
      boost::json::object mediaInfo;
    };
    std::vector<Sent> forwarded;  // negotiated, or in the offer out now
    std::vector<Sent> pending;    // for the next offer
    std::size_t inOffer = 0;      // how many of `forwarded` (the last ones) the outstanding offer adds
    std::vector<std::string> changed;  // mids of forwarded sections to rewrite in the next offer
    std::vector<std::string> changedInOffer;  // those the outstanding offer rewrites
    unsigned nextMid = 0;
    bool legacy = false;  // SkylinkJS 0.6.x: a downlink per publisher instead of renegotiation
    std::vector<std::string> downlinks;  // publishers it was welcomed by (0.6.x)
  };
  struct RoomState {
    std::vector<Member> members;  // in join order
    std::string recordingId;      // the recording under way, if any
  };

  Member* find(RoomState& room, std::string_view sid);
  void handleEnter(std::string_view roomKey, RoomState& room, Member& from,
                   const boost::json::object& msg);
  void handleOffer(std::string_view roomKey, RoomState& room, Member& from,
                   const boost::json::object& msg);
  void handleAnswer(std::string_view roomKey, RoomState& room, Member& from);
  // 0.6.x: `m` is welcomed by `publisher` (as if it were that peer), once each.
  void welcomeAs(std::string_view roomKey, Member& m, const Member& publisher);
  // 0.6.x: the client's offer to `publisherSid`, answered as it with its tracks.
  void handleDownlinkOffer(std::string_view roomKey, RoomState& room, Member& from,
                           std::string_view publisherSid, const boost::json::object& msg);
  // Offers the member what is pending for it, if its negotiation is at rest and no other member
  // is about to publish (awaitsPublisher).
  void renegotiate(std::string_view roomKey, Member& m);
  // Another member of m's room entered less than kPublishWaitMs ago and has not offered: its
  // tracks are coming, and one offer to m can carry them with the rest (when a room switches to
  // the SFU, every member publishes at once).
  bool awaitsPublisher(std::string_view roomKey, const Member& m) const;
  // Queues `publisher`'s track for `m` (a section of its own in m's session).
  static void queueFor(Member& m, const Member& publisher, const Published& p);
  static boost::json::array mediaInfoList(const Member& m);
  static std::vector<ForwardedTrack> tracksOf(const std::vector<Member::Sent>& sent);
  // `startRecordingRoom` / `stopRecordingRoom` from any member (Skylink has no owner on the
  // server side): `recordingEvent` on, off and url to the room, or error to the sender.
  void handleRecording(std::string_view roomKey, RoomState& room, const Member& from,
                       const boost::json::object& msg, bool start);
  // Stops the room's recording: its files closed, its end noted, `off` and `url` to the room.
  void endRecording(std::string_view roomKey, RoomState& room);
  void recordingEvent(std::string_view roomKey, const RoomState& room, boost::json::object event);
  void onRecordingStopped(std::string_view roomKey, std::string_view reason) override;
  void relayMediaInfo(std::string_view roomKey, RoomState& room, const Member& from,
                      const boost::json::object& msg);
  // MediaEvents: `activeSpeaker` (mid MCU, publisherId) to every member that entered.
  void onActiveSpeaker(std::string_view roomKey, std::string_view sid) override;
  // MediaEvents: the member's media is gone. Its tracks are withdrawn from the others, its
  // negotiation starts over, and it hears `bye` from MCU (publisherId MCU): SkylinkJS 2.x
  // closes its connection to the MCU; aerie's library enters again and gets a new one.
  void onTransportLost(std::string_view roomKey, std::string_view sid) override;
  // The sections of `sid`'s tracks go inactive on every other member's connection.
  void withdraw(std::string_view roomKey, RoomState& room, std::string_view sid);
  // What other clients are told about `m` (peersInRoom entries and forwarded enters).
  static boost::json::object describe(const Member& m, std::string_view roomKey);

  MediaPlane& media_;
  const Limits& limits_;
  ServerPeerOutbox* outbox_ = nullptr;
  RecordingCatalog* recordings_ = nullptr;
  std::map<std::string, RoomState, std::less<>> rooms_;
  std::function<std::int64_t()> clock_ = [] {
    return std::chrono::duration_cast<std::chrono::milliseconds>(
               std::chrono::steady_clock::now().time_since_epoch())
        .count();
  };
};

}  // namespace aerie
