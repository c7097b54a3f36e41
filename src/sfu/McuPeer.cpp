#include "sfu/McuPeer.hpp"

#include <boost/json/array.hpp>

#include "codec/SdpDescription.hpp"
#include "sfu/SdpAnswer.hpp"

namespace aerie {
namespace {

constexpr std::string_view kMcu = "MCU";

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
  std::erase_if(members, [&](const Member& m) { return m.sid == sid; });
  media_.close(roomKey, sid);
  if (members.empty()) rooms_.erase(it);
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
  if (type == "offer" && stringField(msg, "target") == kMcu) return handleOffer(roomKey, *from, msg);
  if (type == "mediaInfoEvent") return relayMediaInfo(roomKey, it->second, *from, msg);
  // welcome (a 2.x client's answer to a forwarded enter), answerAck (of our answers),
  // candidate and endOfCandidates (an ICE-lite server needs none: the client's checks reach
  // it), restart: nothing to do.
}

void McuPeer::handleEnter(std::string_view roomKey, RoomState& room, Member& from,
                          const boost::json::object& msg) {
  const bool first = from.state == MemberState::Joined;
  from.state = MemberState::Entered;
  from.enter = enterFields(msg);

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

  // The members already there learn of the newcomer from the server peer.
  for (const auto& m : room.members) {
    if (m.sid == from.sid || m.state != MemberState::Entered) continue;
    boost::json::object enter = describe(from, roomKey);
    enter["type"] = "enter";
    enter["target"] = m.sid;
    outbox_->sendToMember(roomKey, m.sid, std::move(enter), from.sid);
  }
}

void McuPeer::handleOffer(std::string_view roomKey, Member& from, const boost::json::object& msg) {
  const std::string_view sdp = stringField(msg, "sdp");
  auto offer = SdpDescription::parse(sdp);
  if (!offer) return;  // not an SDP: the client's negotiation times out with a clear log there
  std::vector<AcceptedMedia> accepted;
  const LocalTransport local = media_.transportFor(roomKey, from.sid);
  std::string text = SdpAnswer::build(*offer, local, accepted);
  media_.remoteDescription(roomKey, from.sid, *offer, accepted);

  boost::json::object answer;
  answer["type"] = "answer";
  answer["sdp"] = std::move(text);
  answer["target"] = from.sid;
  answer["userInfo"] = ownFields().at("userInfo");
  answer["mediaInfoList"] = boost::json::array{};  // nothing forwarded to it yet
  outbox_->sendToMember(roomKey, from.sid, std::move(answer), kMcu);
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
