#include "sfu/McuPeer.hpp"

#include <algorithm>
#include <boost/json/array.hpp>
#include <chrono>
#include <variant>

#include "codec/SdpDescription.hpp"
#include "record/RecordingCatalog.hpp"
#include "sfu/SdpAnswer.hpp"

namespace aerie {
namespace {

constexpr std::string_view kMcu = "MCU";

// How long the server's offer to a member waits for another member who entered and has not
// offered yet: its tracks then come in the same offer. Members that enter together (an auto
// room switching to the SFU) publish within a few hundred ms; a client that never offers
// holds the others' offers for one to two seconds (they go at the Hub's next tick, about a
// second apart).
constexpr std::int64_t kPublishWaitMs = 1000;

std::string_view stringField(const boost::json::object& msg, std::string_view name) {
  const auto* v = msg.if_contains(name);
  if (v == nullptr || !v->is_string()) return {};
  return {v->get_string().data(), v->get_string().size()};
}

// The fields of an `enter` that describe its sender to others.
boost::json::object enterFields(const boost::json::object& msg) {
  boost::json::object out;
  for (const auto& [key, value] : msg) {
    if (key == "type" || key == "target" || key == "mid" || key == "rid" || key == "publisherId") continue;
    out[key] = value;
  }
  return out;
}

}  // namespace

boost::json::object McuPeer::ownFields() {
  boost::json::object o;
  o["agent"] = "aerie";
  o["version"] = "0.1.0";
  o["os"] = "linux";
  o["receiveOnly"] = false;
  o["enableIceTrickle"] = true;
  o["enableDataChannel"] = true;
  o["enableIceRestart"] = true;
  o["SMProtocolVersion"] = "2.1.0";
  o["DTProtocolVersion"] = "0.1.3";
  // The lowest weight: a client whose offer crosses one of ours wins (SkylinkJS 2.x drops the
  // remote offer of the heavier side).
  o["weight"] = -1;
  boost::json::object userInfo;
  userInfo["settings"] = boost::json::object{{"audio", false}, {"video", false}};
  userInfo["mediaStatus"] = boost::json::object{{"audioMuted", true}, {"videoMuted", true}};
  userInfo["userData"] = "";
  o["userInfo"] = std::move(userInfo);
  return o;
}

McuPeer::Member* McuPeer::find(RoomState& room, std::string_view sid) {
  for (auto& m : room.members) {
    if (m.sid == sid) return &m;
  }
  return nullptr;
}

boost::json::object McuPeer::describe(const Member& m, std::string_view roomKey) {
  boost::json::object o = m.enter;
  o["mid"] = m.sid;
  o["rid"] = roomKey;
  o["publisherId"] = m.sid;
  return o;
}

void McuPeer::onJoined(std::string_view roomKey, const ServerPeerMember& member) {
  auto it = rooms_.find(roomKey);
  if (it == rooms_.end()) it = rooms_.emplace(std::string(roomKey), RoomState{}).first;
  if (find(it->second, member.sid) == nullptr) {
    it->second.members.push_back(Member{std::string(member.sid), MemberState::Joined, {}});
  }
}

void McuPeer::onLeft(std::string_view roomKey, std::string_view sid) {
  auto it = rooms_.find(roomKey);
  if (it == rooms_.end()) return;
  auto& members = it->second.members;
  for (auto& m : members) {
    if (m.sid == sid) {
      for (const auto& p : m.downlinks) media_.close(roomKey, downlinkId(sid, p));
    } else if (std::erase(m.downlinks, std::string(sid)) != 0) {
      media_.close(roomKey, downlinkId(m.sid, sid));
    }
  }
  std::erase_if(members, [&](const Member& m) { return m.sid == sid; });
  media_.close(roomKey, sid);
  if (members.empty()) {
    if (!it->second.recordingId.empty()) endRecording(roomKey, it->second);
    rooms_.erase(it);
    return;
  }
  withdraw(roomKey, it->second, sid);
}

void McuPeer::onRoomEnded(std::string_view roomKey) {
  auto it = rooms_.find(roomKey);
  if (it == rooms_.end()) return;
  for (const auto& m : it->second.members) {
    for (const auto& p : m.downlinks) media_.close(roomKey, downlinkId(m.sid, p));
    media_.close(roomKey, m.sid);
  }
  rooms_.erase(it);
}

void McuPeer::withdraw(std::string_view roomKey, RoomState& room, std::string_view sid) {
  // The sections go inactive on every other member's connection, the media `unavailable`
  // (SkylinkJS 2.x then drops the stream).
  for (auto& m : room.members) {
    if (m.sid == sid) continue;
    std::erase_if(m.pending, [&](const Member::Sent& s) { return s.publisherId == sid; });
    bool changed = false;
    for (auto& s : m.forwarded) {
      if (s.publisherId != sid || !s.track.active) continue;
      s.track.active = false;
      s.mediaInfo["mediaState"] = "unavailable";
      m.changed.push_back(s.track.mid);
      changed = true;
    }
    if (changed) renegotiate(roomKey, m);
  }
}

void McuPeer::onMessage(std::string_view roomKey, std::string_view fromSid,
                        const boost::json::object& msg) {
  if (outbox_ == nullptr) return;
  auto it = rooms_.find(roomKey);
  if (it == rooms_.end()) return;
  Member* from = find(it->second, fromSid);
  if (from == nullptr) return;
  const std::string_view type = stringField(msg, "type");
  if (type == "enter") return handleEnter(roomKey, it->second, *from, msg);
  if (type == "offer" && stringField(msg, "target") == kMcu) {
    return handleOffer(roomKey, it->second, *from, msg);
  }
  if (type == "offer" && from->legacy) {
    return handleDownlinkOffer(roomKey, it->second, *from, stringField(msg, "target"), msg);
  }
  if (type == "answer" && stringField(msg, "target") == kMcu) return handleAnswer(roomKey, it->second, *from);
  if (type == "answerAck" && from->negotiation == Negotiation::AwaitingAck) {
    from->negotiation = Negotiation::Stable;
    return renegotiate(roomKey, *from);
  }
  if (type == "mediaInfoEvent") return relayMediaInfo(roomKey, it->second, *from, msg);
  if (type == "startRecordingRoom" || type == "stopRecordingRoom") {
    return handleRecording(roomKey, it->second, *from, msg, type == "startRecordingRoom");
  }
  // welcome (a 2.x client's answer to a forwarded enter), answerAck (of our answers),
  // candidate and endOfCandidates (an ICE-lite server needs none: the client's checks reach
  // it), restart: nothing to do.
}

void McuPeer::handleEnter(std::string_view roomKey, RoomState& room, Member& from,
                          const boost::json::object& msg) {
  const bool first = from.state == MemberState::Joined;
  from.state = MemberState::Entered;
  if (first) from.enteredAtMs = clock_();
  from.enter = enterFields(msg);
  // SkylinkJS 2.x (and aerie's library in SFU rooms) sends its enter to MCU with publisherId;
  // 0.6.x broadcasts it.
  from.legacy = stringField(msg, "target") != kMcu || !msg.contains("publisherId");

  boost::json::object welcome = ownFields();
  welcome["type"] = "welcome";
  welcome["target"] = from.sid;
  boost::json::array peers;
  for (const auto& m : room.members) {
    if (m.sid != from.sid && m.state == MemberState::Entered) peers.push_back(describe(m, roomKey));
  }
  welcome["peersInRoom"] = std::move(peers);
  outbox_->sendToMember(roomKey, from.sid, std::move(welcome), kMcu);
  if (!first) return;  // a repeated enter (a client's refresh): the others know it already
  // A newcomer to a room being recorded hears so, as the others did at the start.
  if (!room.recordingId.empty()) {
    outbox_->sendToMember(roomKey, from.sid,
                          {{"type", "recordingEvent"}, {"target", from.sid}, {"action", "on"},
                           {"recordingId", room.recordingId}},
                          kMcu);
  }

  // The members already there learn of the newcomer from the server peer (0.6.x members by
  // its welcome, once it publishes).
  for (const auto& m : room.members) {
    if (m.sid == from.sid || m.state != MemberState::Entered || m.legacy) continue;
    boost::json::object enter = describe(from, roomKey);
    enter["type"] = "enter";
    enter["target"] = m.sid;
    outbox_->sendToMember(roomKey, m.sid, std::move(enter), from.sid);
  }
}

void McuPeer::handleOffer(std::string_view roomKey, RoomState& room, Member& from,
                          const boost::json::object& msg) {
  const std::string_view sdp = stringField(msg, "sdp");
  SdpDescription::Limits sdpLimits;
  sdpLimits.maxBytes = limits_.maxFrameBytes;
  sdpLimits.maxMedia = limits_.maxSdpMediaSections;
  auto offer = SdpDescription::parse(sdp, sdpLimits);
  if (!offer) return;  // not an SDP, or over a limit: the client's negotiation times out
  if (from.negotiation == Negotiation::OfferSent) {
    // Glare: the client offers while the server's offer is out. The client wins (the server's
    // weight is the lowest) and drops the server's offer: what that offer carried goes back to
    // be offered again once this exchange is done.
    std::vector<Member::Sent> undone(from.forwarded.end() - static_cast<std::ptrdiff_t>(from.inOffer), from.forwarded.end());
    from.forwarded.resize(from.forwarded.size() - from.inOffer);
    from.pending.insert(from.pending.begin(), std::make_move_iterator(undone.begin()), std::make_move_iterator(undone.end()));
    from.changed.insert(from.changed.end(), from.changedInOffer.begin(), from.changedInOffer.end());
    from.changedInOffer.clear();
    from.inOffer = 0;
  }
  std::vector<AcceptedMedia> accepted;
  const std::string ufrag = offer->media.empty() ? std::string() : std::string(offer->ufragOf(offer->media.front()));
  const bool restart = !from.remoteUfrag.empty() && ufrag != from.remoteUfrag;
  from.remoteUfrag = ufrag;
  const LocalTransport local = restart ? media_.restartIce(roomKey, from.sid, ufrag)
                                       : media_.transportFor(roomKey, from.sid);
  std::string text = SdpAnswer::build(*offer, local, accepted, tracksOf(from.forwarded));
  media_.remoteDescription(roomKey, from.sid, *offer, accepted);

  // What the client publishes: one track per section it sends on.
  const auto* infos = msg.if_contains("mediaInfoList");
  const std::size_t firstNew = from.published.size();
  for (std::size_t i = 0; i < accepted.size() && i < offer->media.size(); ++i) {
    const AcceptedMedia& a = accepted[i];
    const SdpMedia& m = offer->media[i];
    if (!a.receive || a.ssrcs.empty()) continue;
    const std::uint32_t ssrc = a.ssrcs.front();
    bool known = false;
    for (const auto& p : from.published) known = known || p.track.ssrc == ssrc;
    if (known) continue;
    if (from.published.size() >= limits_.maxTracksPerPeer) continue;  // answered, not forwarded
    Published p;
    p.track.mid = a.mid;
    p.track.kind = a.kind;
    p.track.ssrc = ssrc;
    p.track.payloadType = a.payloadType;
    if (const SdpCodec* c = m.codec(a.payloadType)) {
      p.track.codecName = std::string(c->name);
      p.track.clockRate = c->clockRate;
      p.track.channels = c->channels;
      p.track.fmtp = std::string(c->fmtp);
    }
    std::string_view msid = m.msid;
    if (const SdpSsrc* s = m.ssrc(ssrc)) {
      p.track.cname = std::string(s->cname);
      if (!s->msid.empty()) msid = s->msid;
    }
    const auto space = msid.find(' ');
    p.track.streamId = std::string(msid.substr(0, space));
    p.track.trackId = space == std::string_view::npos ? a.kind + "-" + a.mid : std::string(msid.substr(space + 1));
    if (p.track.cname.empty()) p.track.cname = "aerie";
    if (p.track.streamId.empty()) p.track.streamId = from.sid;
    if (infos != nullptr && infos->is_array()) {
      for (const auto& info : infos->get_array()) {
        const auto* o = info.if_object();
        if (o != nullptr && stringField(*o, "transceiverMid") == a.mid) p.mediaInfo = *o;
      }
    }
    if (p.mediaInfo.empty()) {
      p.mediaInfo["mediaId"] = (a.kind == "audio" ? "AUDIO_" : "VIDEO_") + p.track.streamId;
      p.mediaInfo["mediaType"] = a.kind == "audio" ? "audioMic" : "videoCamera";
      p.mediaInfo["mediaState"] = "active";
    }
    from.published.push_back(std::move(p));
  }
  const bool firstOffer = from.negotiation == Negotiation::None;

  boost::json::object answer;
  answer["type"] = "answer";
  answer["sdp"] = text;
  answer["target"] = from.sid;
  answer["userInfo"] = ownFields().at("userInfo");
  answer["mediaInfoList"] = mediaInfoList(from);
  outbox_->sendToMember(roomKey, from.sid, std::move(answer), kMcu);
  from.lastLocal = std::move(text);
  from.negotiation = Negotiation::AwaitingAck;

  // The others get the new tracks; a newcomer gets everything already published. A 0.6.x
  // member gets them on a downlink, by a welcome from the publisher.
  for (auto& m : room.members) {
    if (m.sid == from.sid || m.state != MemberState::Entered) continue;
    if (firstOffer && !m.published.empty()) {
      if (from.legacy) {
        welcomeAs(roomKey, from, m);
      } else {
        for (const auto& p : m.published) queueFor(from, m, p);
      }
    }
    if (m.negotiation == Negotiation::None || firstNew == from.published.size()) continue;
    if (m.legacy) {
      welcomeAs(roomKey, m, from);
      continue;
    }
    for (std::size_t i = firstNew; i < from.published.size(); ++i) queueFor(m, from, from.published[i]);
    renegotiate(roomKey, m);
  }
  // Members whose offers waited for this one's tracks (awaitsPublisher), also when it brought none.
  if (firstOffer) {
    for (auto& m : room.members) {
      if (m.sid != from.sid) renegotiate(roomKey, m);
    }
  }
}

void McuPeer::welcomeAs(std::string_view roomKey, Member& m, const Member& publisher) {
  if (std::find(m.downlinks.begin(), m.downlinks.end(), publisher.sid) != m.downlinks.end()) return;
  m.downlinks.push_back(publisher.sid);
  boost::json::object welcome = describe(publisher, roomKey);
  welcome.erase("publisherId");
  welcome["type"] = "welcome";
  welcome["target"] = m.sid;
  outbox_->sendToMember(roomKey, m.sid, std::move(welcome), publisher.sid);
}

void McuPeer::handleDownlinkOffer(std::string_view roomKey, RoomState& room, Member& from,
                                  std::string_view publisherSid, const boost::json::object& msg) {
  const Member* publisher = find(room, publisherSid);
  if (publisher == nullptr || publisher->sid == from.sid) return;
  SdpDescription::Limits sdpLimits;
  sdpLimits.maxBytes = limits_.maxFrameBytes;
  sdpLimits.maxMedia = limits_.maxSdpMediaSections;
  auto offer = SdpDescription::parse(stringField(msg, "sdp"), sdpLimits);
  if (!offer) return;
  // Each section the client receives on gets one of the publisher's tracks of its kind.
  std::vector<ForwardedTrack> tracks;
  std::vector<bool> used(publisher->published.size(), false);
  for (const auto& m : offer->media) {
    if (m.port == 0 || (m.direction != SdpDirection::RecvOnly && m.direction != SdpDirection::SendRecv)) continue;
    for (std::size_t i = 0; i < publisher->published.size(); ++i) {
      const auto& p = publisher->published[i];
      if (used[i] || p.track.kind != m.kind || !p.track.active) continue;
      used[i] = true;
      ForwardedTrack t = p.track;
      t.mid = std::string(m.mid);
      tracks.push_back(std::move(t));
      break;
    }
  }
  const std::string id = downlinkId(from.sid, publisher->sid);
  const LocalTransport local = media_.transportFor(roomKey, id);
  std::vector<AcceptedMedia> accepted;
  std::string text = SdpAnswer::build(*offer, local, accepted, tracks);
  media_.remoteDescription(roomKey, id, *offer, accepted);
  boost::json::object answer;
  answer["type"] = "answer";
  answer["sdp"] = std::move(text);
  answer["target"] = from.sid;
  if (const auto* info = publisher->enter.if_contains("userInfo")) answer["userInfo"] = *info;
  outbox_->sendToMember(roomKey, from.sid, std::move(answer), publisher->sid);
  for (const auto& t : tracks) media_.forward(roomKey, id, t.ssrc);
}

void McuPeer::handleAnswer(std::string_view roomKey, RoomState&, Member& from) {
  if (from.negotiation != Negotiation::OfferSent) return;
  from.negotiation = Negotiation::Stable;
  boost::json::object ack;
  ack["type"] = "answerAck";
  ack["target"] = from.sid;
  ack["success"] = true;
  outbox_->sendToMember(roomKey, from.sid, std::move(ack), kMcu);
  // The sections of the offer are in place on the client: media may flow.
  for (std::size_t i = from.forwarded.size() - from.inOffer; i < from.forwarded.size(); ++i) {
    media_.forward(roomKey, from.sid, from.forwarded[i].track.ssrc);
  }
  from.inOffer = 0;
  from.changedInOffer.clear();
  renegotiate(roomKey, from);
}

void McuPeer::queueFor(Member& m, const Member& publisher, const Published& p) {
  for (const auto& s : m.forwarded) {
    // An inactive section (its publisher left or lost its connection) does not count: the same
    // SSRC back gets a section of its own.
    if (s.track.ssrc == p.track.ssrc && s.track.active) return;
  }
  for (const auto& s : m.pending) {
    if (s.track.ssrc == p.track.ssrc) return;
  }
  Member::Sent sent;
  sent.publisherId = publisher.sid;
  sent.track = p.track;
  sent.track.mid = "f" + std::to_string(m.nextMid++);  // the client's own mids are numbers
  sent.mediaInfo = p.mediaInfo;
  m.pending.push_back(std::move(sent));
}

bool McuPeer::awaitsPublisher(std::string_view roomKey, const Member& m) const {
  auto it = rooms_.find(roomKey);
  if (it == rooms_.end() || !m.changed.empty()) return false;  // withdrawals go out at once
  const std::int64_t nowMs = clock_();
  for (const auto& x : it->second.members) {
    if (x.sid != m.sid && x.state == MemberState::Entered && x.negotiation == Negotiation::None &&
        nowMs - x.enteredAtMs < kPublishWaitMs) {
      return true;
    }
  }
  return false;
}

void McuPeer::onTick(std::int64_t /*nowMs*/) {
  for (auto& [key, room] : rooms_) {
    for (auto& m : room.members) renegotiate(key, m);
  }
}

void McuPeer::renegotiate(std::string_view roomKey, Member& m) {
  if (m.negotiation != Negotiation::Stable || (m.pending.empty() && m.changed.empty())) return;
  if (awaitsPublisher(roomKey, m)) return;
  std::vector<ForwardedTrack> added;
  for (const auto& s : m.pending) added.push_back(s.track);
  std::vector<ForwardedTrack> changed;
  for (const auto& s : m.forwarded) {
    if (std::find(m.changed.begin(), m.changed.end(), s.track.mid) != m.changed.end()) changed.push_back(s.track);
  }
  m.changedInOffer = std::move(m.changed);
  m.changed.clear();
  std::string text = SdpAnswer::offer(m.lastLocal, added, changed);
  m.inOffer = m.pending.size();
  for (auto& s : m.pending) m.forwarded.push_back(std::move(s));
  m.pending.clear();

  boost::json::object offer = ownFields();
  offer.erase("receiveOnly");
  offer["type"] = "offer";
  offer["sdp"] = text;
  offer["target"] = m.sid;
  offer["mediaInfoList"] = mediaInfoList(m);
  outbox_->sendToMember(roomKey, m.sid, std::move(offer), kMcu);
  m.lastLocal = std::move(text);
  m.negotiation = Negotiation::OfferSent;
}

boost::json::array McuPeer::mediaInfoList(const Member& m) {
  boost::json::array list;
  for (const auto& s : m.forwarded) {
    boost::json::object info = s.mediaInfo;
    info["publisherId"] = s.publisherId;
    info["transceiverMid"] = s.track.mid;
    if (!info.contains("mediaState")) info["mediaState"] = "active";
    list.push_back(std::move(info));
  }
  return list;
}

std::vector<ForwardedTrack> McuPeer::tracksOf(const std::vector<Member::Sent>& sent) {
  std::vector<ForwardedTrack> out;
  out.reserve(sent.size());
  for (const auto& s : sent) out.push_back(s.track);
  return out;
}

void McuPeer::onTransportLost(std::string_view roomKey, std::string_view sid) {
  auto it = rooms_.find(roomKey);
  if (it == rooms_.end()) return;
  if (isDownlink(sid)) {
    // A 0.6.x downlink: forgotten; its client's connection to that peer has failed on its side
    // too, and a new welcome comes if the client enters again.
    const auto gt = sid.find('>');
    if (Member* m = find(it->second, sid.substr(0, gt))) std::erase(m->downlinks, std::string(sid.substr(gt + 1)));
    return;
  }
  Member* m = find(it->second, sid);
  if (m == nullptr) return;
  withdraw(roomKey, it->second, sid);
  // Its own connection starts over: what it publishes and what it was sent are forgotten.
  m->negotiation = Negotiation::None;
  m->lastLocal.clear();
  m->remoteUfrag.clear();
  m->published.clear();
  m->forwarded.clear();
  m->pending.clear();
  m->inOffer = 0;
  m->changed.clear();
  m->changedInOffer.clear();
  if (outbox_ == nullptr || m->state != MemberState::Entered) return;
  boost::json::object bye;
  bye["type"] = "bye";
  bye["target"] = m->sid;
  bye["publisherId"] = kMcu;
  bye["reason"] = "mediaConnectionLost";
  outbox_->sendToMember(roomKey, m->sid, std::move(bye), kMcu);
}

void McuPeer::onActiveSpeaker(std::string_view roomKey, std::string_view sid) {
  if (outbox_ == nullptr) return;
  auto it = rooms_.find(roomKey);
  if (it == rooms_.end()) return;
  for (const auto& m : it->second.members) {
    if (m.state != MemberState::Entered) continue;
    boost::json::object event;
    event["type"] = "activeSpeaker";
    event["target"] = m.sid;
    event["publisherId"] = sid;  // "" when the room fell silent
    outbox_->sendToMember(roomKey, m.sid, std::move(event), kMcu);
  }
}

void McuPeer::recordingEvent(std::string_view roomKey, const RoomState& room, boost::json::object event) {
  if (outbox_ == nullptr) return;
  event["type"] = "recordingEvent";
  for (const auto& m : room.members) {
    boost::json::object copy = event;
    copy["target"] = m.sid;
    outbox_->sendToMember(roomKey, m.sid, std::move(copy), kMcu);
  }
}

void McuPeer::handleRecording(std::string_view roomKey, RoomState& room, const Member& from,
                              const boost::json::object& msg, bool start) {
  auto refuse = [&](std::string_view error) {
    boost::json::object event;
    event["type"] = "recordingEvent";
    event["target"] = from.sid;
    event["action"] = "error";
    event["error"] = error;
    if (!room.recordingId.empty()) event["recordingId"] = room.recordingId;
    outbox_->sendToMember(roomKey, from.sid, std::move(event), kMcu);
  };
  if (!start) {
    if (room.recordingId.empty()) return refuse("not recording");
    return endRecording(roomKey, room);
  }
  if (recordings_ == nullptr) return refuse("recording is not available on this server");
  if (!room.recordingId.empty()) return refuse("already recording");
  // The Hub stamps the room's name and app (realm) on the message.
  const auto nowMs = std::chrono::duration_cast<std::chrono::milliseconds>(
                         std::chrono::system_clock::now().time_since_epoch()).count();
  auto begun = recordings_->begin(stringField(msg, "roomName"), stringField(msg, "realm"), nowMs);
  if (auto* error = std::get_if<std::string>(&begun)) return refuse(*error);
  const auto& started = std::get<RecordingCatalog::Started>(begun);
  room.recordingId = started.id;
  media_.startRecording(roomKey, started.directory);
  recordingEvent(roomKey, room, {{"action", "on"}, {"recordingId", room.recordingId}});
}

void McuPeer::endRecording(std::string_view roomKey, RoomState& room) {
  const std::string id = std::move(room.recordingId);
  room.recordingId.clear();
  media_.stopRecording(roomKey);
  const auto nowMs = std::chrono::duration_cast<std::chrono::milliseconds>(
                         std::chrono::system_clock::now().time_since_epoch()).count();
  if (recordings_ != nullptr) recordings_->finish(id, nowMs);
  recordingEvent(roomKey, room, {{"action", "off"}, {"recordingId", id}});
  // SkylinkJS 0.6.37 reads `url` (one string; its `urls` branch has a bug); 2.x ignores it.
  // The files are behind the admin API (its token).
  recordingEvent(roomKey, room, {{"action", "url"}, {"recordingId", id}, {"url", "/admin/v1/recordings/" + id}});
}

void McuPeer::onRecordingStopped(std::string_view roomKeyView, std::string_view reason) {
  const std::string roomKey(roomKeyView);  // the caller's string may go with its recording
  auto it = rooms_.find(roomKey);
  if (it == rooms_.end() || it->second.recordingId.empty()) return;
  recordingEvent(roomKey, it->second, {{"action", "error"}, {"recordingId", it->second.recordingId}, {"error", reason}});
  endRecording(roomKey, it->second);
}

void McuPeer::relayMediaInfo(std::string_view roomKey, RoomState& room, const Member& from,
                             const boost::json::object& msg) {
  for (const auto& m : room.members) {
    if (m.sid == from.sid || m.state != MemberState::Entered) continue;
    boost::json::object event = msg;
    event.erase("mid");
    event.erase("rid");
    event["publisherId"] = from.sid;
    event["target"] = m.sid;
    outbox_->sendToMember(roomKey, m.sid, std::move(event), kMcu);
  }
}

}  // namespace aerie
