#include "hub/Hub.hpp"

#include <algorithm>
#include <boost/json/monotonic_resource.hpp>
#include <boost/json/serialize.hpp>
#include <boost/json/value.hpp>
#include <chrono>
#include <utility>

#include "core/Crypto.hpp"
#include "core/Log.hpp"
#include "codec/SocketIoCodec.hpp"

namespace aerie {
namespace {

// tieBreaker + the client's priority scheme (up to ±2e15) must stay an exact double: 2^52 + 2e15
// is below 2^53 (protocol spec section 4).
constexpr std::uint64_t kTieBreakerMask = (std::uint64_t{1} << 52) - 1;

std::string_view stringField(const boost::json::object& msg, std::string_view name) {
  const auto* v = msg.if_contains(name);
  if (v == nullptr || !v->is_string()) return {};
  const auto& s = v->get_string();
  return {s.data(), s.size()};
}

bool boolField(const boost::json::object& msg, std::string_view name, bool fallback) {
  const auto* v = msg.if_contains(name);
  return v != nullptr && v->is_bool() ? v->get_bool() : fallback;
}

}  // namespace

Hub::Hub(const Limits& limits, JoinAuthorizer& authorizer, ShardPlan plan)
    : limits_(limits), authorizer_(authorizer), plan_(plan) {
  if (plan_.count == 0 || plan_.count > 256 || plan_.index >= plan_.count) plan_ = ShardPlan{};
  // tieBreakers only need to differ within a room (checked), not to be unpredictable.
  std::random_device device;
  std::seed_seq seed{device(), device(), device(), device()};
  rng_.seed(seed);
}

Hub::~Hub() = default;

Hub::ConnId Hub::connect(std::shared_ptr<PeerSink> sink, std::int64_t nowMs) {
  lastNowMs_ = std::max(lastNowMs_, nowMs);
  const ConnId id = (nextId_++ << 8) | plan_.index;
  peers_.emplace(id, std::make_unique<Peer>(id, std::move(sink), limits_, nowMs));
  return id;
}

void Hub::onMessage(ConnId id, std::string_view json, std::int64_t nowMs) {
  lastNowMs_ = std::max(lastNowMs_, nowMs);
  // The boundary of the data plane: nothing a client sends may take the server down.
  try {
    handleMessage(id, json, nowMs);
  } catch (...) {
    drop(DropReason::InternalError);
  }
}

void Hub::countUnusableEvent(DropReason reason) {
  if (reason == DropReason::Malformed) count(counters_.messagesIn, "(malformed)");
  drop(reason);
}

void Hub::disconnect(ConnId id, std::int64_t nowMs) {
  lastNowMs_ = std::max(lastNowMs_, nowMs);
  try {
    Peer* peer = findPeer(id);
    if (peer == nullptr) return;
    if (peer->state() == PeerState::InRoom) leaveRoom(*peer, nowMs);
    if (peer->state() == PeerState::Bridged) --bridged_;
    peers_.erase(id);  // a bridge closes with its peer: the owner sends the bye
  } catch (...) {
    drop(DropReason::InternalError);
  }
}

void Hub::tick(std::int64_t nowMs) {
  lastNowMs_ = std::max(lastNowMs_, nowMs);
  try {
    std::vector<ConnId> late;
    for (const auto& [id, peer] : peers_) {
      if (peer->state() == PeerState::AwaitingJoin &&
          nowMs - peer->awaitingSinceMs() >= static_cast<std::int64_t>(limits_.joinTimeoutMs)) {
        late.push_back(id);
      }
    }
    for (ConnId id : late) closePeer(id, CloseReason::JoinTimeout);
    if (serverPeer_ != nullptr) serverPeer_->onTick(nowMs);
  } catch (...) {
    drop(DropReason::InternalError);
  }
}

// ---- dispatch -------------------------------------------------------------------------------

void Hub::handleMessage(ConnId id, std::string_view json, std::int64_t nowMs) {
  Peer* peer = findPeer(id);
  if (peer == nullptr) return drop(DropReason::UnknownConnection);
  if (peer->state() == PeerState::Bridged) {
    // The owner applies every rule (rate, fields, lock, limit); here it is only passed on, in
    // the order received.
    count(counters_.messagesIn, "(bridged)");
    return peer->bridge()->send(json);
  }

  // The message's DOM lives only in this call (nothing in the Hub keeps JSON values): an arena
  // on the stack spares the allocator; larger messages spill to the heap.
  unsigned char arena[8192];
  boost::json::monotonic_resource resource(arena, sizeof arena);
  auto msg = MessageRules::parse(json, limits_.maxJsonDepth, &resource);
  if (!msg) {
    count(counters_.messagesIn, "(malformed)");
    return drop(DropReason::Malformed);
  }
  const MessageRule* rule = MessageRules::find(stringField(*msg, "type"));
  if (rule == nullptr) {
    count(counters_.messagesIn, "(unknown)");
    return drop(DropReason::UnknownType);
  }
  count(counters_.messagesIn, rule->type);

  const bool isJoin = rule->type == "joinRoom";
  // Before inRoom a client has no identity to stamp and no room to speak to; anything but
  // joinRoom is a client bug, not worth a redirect.
  if (!isJoin && peer->state() != PeerState::InRoom) return drop(DropReason::NotJoined);

  const bool hasTarget = msg->contains("target");
  if (admit(*peer, MessageRules::bucketFor(*rule, hasTarget), nowMs) != RateVerdict::Pass) return;

  switch (MessageRules::check(*rule, *msg, limits_.maxUserDataBytes)) {
    case RuleViolation::None:
      break;
    case RuleViolation::MissingField:
      return drop(DropReason::MissingField);
    case RuleViolation::WrongType:
      return drop(DropReason::WrongType);
    case RuleViolation::TooLarge:
      return drop(DropReason::TooLarge);
  }

  if (rule->routing != Routing::Server) return handleRelay(*peer, *msg, *rule);
  if (isJoin) return handleJoin(*peer, *msg, nowMs);
  if (rule->type == "bye") return leaveRoom(*peer, nowMs);
  if (rule->type == "group") return handleGroup(*peer, *msg, nowMs);
  if (rule->type == "getPeers") return handleGetPeers(*peer, *msg);
  if (rule->type == "introduce") return handleIntroduce(*peer, *msg);
  if (rule->type == "startRecordingRoom" || rule->type == "stopRecordingRoom")
    return handleRecording(*peer, *msg);
}

RateVerdict Hub::admit(Peer& peer, RateBucket bucket, std::int64_t nowMs) {
  const RateVerdict verdict = peer.charge(bucket, nowMs);
  switch (verdict) {
    case RateVerdict::Pass:
      break;
    case RateVerdict::Drop:
      drop(DropReason::RateLimited);
      break;
    case RateVerdict::DropAndWarn:
      drop(DropReason::RateLimited);
      redirect(peer, "warning", "fastmsg", "You are sending messages too fast; some were dropped.",
               peer.roomKey());
      break;
    case RateVerdict::Disconnect:
      drop(DropReason::RateLimited);
      closePeer(peer.id(), CloseReason::OverBudget);
      break;
  }
  return verdict;
}

// ---- joinRoom -------------------------------------------------------------------------------

void Hub::handleJoin(Peer& peer, const boost::json::object& msg, std::int64_t nowMs) {
  const auto startedAt = std::chrono::steady_clock::now();  // for HubStats::joinLatency
  // A second joinRoom on the same socket (rejoin, or another room) leaves the current room
  // first, whatever comes of the new join: the client tears its peers down either way.
  if (peer.state() == PeerState::InRoom) leaveRoom(peer, nowMs);

  const std::string_view requestedRid = stringField(msg, "rid");
  if (shuttingDown_) {
    return redirect(peer, "reject", "roomclose", "The server is shutting down.", requestedRid);
  }

  JoinGrant grant;
  try {
    grant = authorizer_.authorize(msg, nowMs);
  } catch (...) {
    return redirect(peer, "reject", "serverError", "The server could not verify the credentials.",
                    requestedRid);
  }
  if (!grant.ok && grant.bridgePort != 0 && bridgeOpener_ != nullptr) {
    return bridgeJoin(peer, msg, grant, requestedRid);
  }
  if (!grant.ok) {
    const std::string_view reason =
        grant.reason.empty() ? std::string_view("credentialError") : grant.reason;
    return redirect(peer, "reject", reason, grant.info, requestedRid);
  }
  if (grant.roomKey.empty()) {
    return redirect(peer, "reject", "serverError", "The server granted no room.", requestedRid);
  }

  if (plan_.count > 1 && link_ != nullptr) {
    const unsigned target = shardOf(grant.roomKey, plan_.count);
    if (target != plan_.index) {
      // The room lives on another shard's loop: the peer goes there and joins it there.
      // The peer is on its way before its sink learns the new shard: whatever the connection
      // sends from then on is posted there after the peer itself.
      auto node = peers_.extract(peer.id());
      std::shared_ptr<PeerSink> sink = node.mapped()->sinkPtr();
      ++counters_.handOffs;
      link_->handOff(target, std::move(node.mapped()), std::move(grant),
                     boost::json::serialize(msg));
      sink->rehome(target);
      return;  // `peer` is gone from this shard
    }
  }
  if (joinGranted(peer, msg, grant, nowMs)) observeJoin(startedAt);
}

void Hub::bridgeJoin(Peer& peer, const boost::json::object& msg, const JoinGrant& grant,
                     std::string_view requestedRid) {
  std::unique_ptr<PeerBridge> bridge = bridgeOpener_->open(
      BridgeTarget{grant.bridgeHost, grant.bridgePort, std::string(requestedRid)}, peer.sinkPtr());
  if (!bridge) {
    const std::string_view reason =
        grant.reason.empty() ? std::string_view("roomclose") : grant.reason;
    return redirect(peer, "reject", reason, grant.info, requestedRid, "bridgeFailed");
  }
  ++counters_.bridgesOpened;
  ++bridged_;
  peer.startBridge(std::move(bridge));
  // The owner checks the credentials again and answers inRoom or its own redirect.
  peer.bridge()->send(boost::json::serialize(msg));
}

void Hub::adopt(std::unique_ptr<Peer> peer, JoinGrant grant, std::string_view joinJson,
                std::int64_t nowMs) {
  lastNowMs_ = std::max(lastNowMs_, nowMs);
  try {
    const auto startedAt = std::chrono::steady_clock::now();
    const ConnId id = peer->id();
    Peer& adopted = *peers_.insert_or_assign(id, std::move(peer)).first->second;
    auto msg = MessageRules::parse(joinJson, limits_.maxJsonDepth);
    if (!msg) return drop(DropReason::InternalError);  // we serialized it ourselves
    if (shuttingDown_) {
      return redirect(adopted, "reject", "roomclose", "The server is shutting down.",
                      grant.roomKey);
    }
    if (joinGranted(adopted, *msg, grant, nowMs)) observeJoin(startedAt);
  } catch (...) {
    drop(DropReason::InternalError);
  }
}

void Hub::observeJoin(std::chrono::steady_clock::time_point startedAt) {
  counters_.joinLatency.observeUs(static_cast<std::uint64_t>(
      std::chrono::duration_cast<std::chrono::microseconds>(std::chrono::steady_clock::now() -
                                                            startedAt)
          .count()));
}

bool Hub::joinGranted(Peer& peer, const boost::json::object& msg, const JoinGrant& grant,
                      std::int64_t nowMs) {
  Room* room = findRoom(grant.roomKey);
  if ((room != nullptr ? room->sfu() : grant.sfu) && serverPeer_ == nullptr) {
    redirect(peer, "reject", "serverError",
             "This room needs the media server, which is not running on this server.",
             grant.roomKey, "noMediaServer");
    return false;
  }
  if (room != nullptr && room->locked()) {
    redirect(peer, "reject", "locked", "The room is locked.", grant.roomKey);
    return false;
  }
  std::uint32_t maxPeers = grant.maxPeers != 0 ? grant.maxPeers : limits_.defaultMaxPeersPerRoom;
  // In an SFU room every member receives every other: the media server's cap applies too.
  if (room != nullptr ? room->sfu() : grant.sfu) maxPeers = std::min(maxPeers, limits_.maxSubscribersPerRoom);
  if (room != nullptr && room->size() >= maxPeers) {
    // SkylinkJS has no "room full" reason (SYSTEM_ACTION_REASON). `locked` is the one whose
    // meaning for the app is right ("this room takes nobody now"); `info` says why, and the
    // joinRoom() callback error is built from `info`. Counted apart as roomFull.
    redirect(peer, "reject", "locked",
             "The room is full (" + std::to_string(maxPeers) + " peers).", grant.roomKey,
             "roomFull");
    return false;
  }
  if (room == nullptr) {
    auto created = std::make_unique<Room>(grant.roomKey, grant.realm, grant.roomName, grant.sfu,
                                          grant.autoMedia, grant.autoSfuPeers);
    room = created.get();
    rooms_.emplace(grant.roomKey, std::move(created));
  }

  std::string sid = newSid();
  const std::uint64_t tieBreaker = newTieBreaker(*room);
  // aerie's library says it can follow a switch of an auto room between mesh and SFU.
  room->add(sid, tieBreaker, boolField(msg, "mediaSwitch", false));
  bySid_.emplace(sid, &peer);
  // autoIntroduce comes from the client (it echoes the API reply): it only limits what this
  // peer itself sees and shows, so trusting it gives nothing away.
  peer.enterRoom(Membership{sid, grant.roomKey, grant.realm, grant.privileged,
                            boolField(msg, "autoIntroduce", true)});

  // A join that takes an auto room past its switch point moves it to the SFU before the newcomer
  // hears inRoom, which then says so: it goes to MCU at once, never into the mesh.
  if (room->sfu()) serverPeer_->onJoined(room->key(), ServerPeerMember{sid, grant.privileged});
  switchMediaIfDue(*room, sid);

  boost::json::object inRoom;
  inRoom["type"] = "inRoom";
  inRoom["rid"] = grant.roomKey;
  inRoom["sid"] = sid;
  inRoom["mid"] = sid;  // the client accepts inRoom despite mid being its own sid
  inRoom["pc_config"] = boost::json::object{{"iceServers", grant.iceServers}};
  inRoom["tieBreaker"] = tieBreaker;
  if (room->autoMedia()) inRoom["mediaMode"] = room->sfu() ? "sfu" : "mesh";
  // Not in Skylink: the room's owner, the member longest in it (docs/protocol.md).
  inRoom["owner"] = room->owner();
  sendTo(peer, inRoom);

  PeerSession& session = sessions_[sid];
  session = PeerSession{grant.realm, grant.appKey, grant.roomName, grant.roomKey, sid, nowMs, 0};
  if (listener_ != nullptr) {
    try {
      listener_->onPeerJoined(session);
    } catch (...) {
      drop(DropReason::InternalError);
    }
  }
  return true;
}

void Hub::leaveRoom(Peer& peer, std::int64_t nowMs) {
  if (peer.state() != PeerState::InRoom) return;  // bye twice, or bye then close: one bye out
  const std::string sid = peer.sid();
  const std::string roomKey = peer.roomKey();
  bySid_.erase(sid);
  peer.leaveRoom(nowMs);
  notifyLeft(sid, nowMs);

  auto it = rooms_.find(roomKey);
  if (it == rooms_.end()) return;
  const bool wasOwner = it->second->owner() == sid;
  if (!it->second->remove(sid)) return;
  if (it->second->sfu() && serverPeer_ != nullptr) serverPeer_->onLeft(roomKey, sid);
  if (it->second->empty()) {
    rooms_.erase(it);  // the lock goes with the room (spec section 4: Leaving)
    return;
  }
  boost::json::object bye;
  bye["type"] = "bye";
  bye["mid"] = sid;
  bye["rid"] = roomKey;
  // The owner left: the member longest in the room is the owner now (extra field, not Skylink's).
  if (wasOwner) bye["owner"] = it->second->owner();
  broadcast(*it->second, sid, encode(bye), "bye");
  switchMediaIfDue(*it->second);
}

void Hub::closePeer(ConnId id, CloseReason reason) {
  auto it = peers_.find(id);
  if (it == peers_.end()) return;
  Peer& peer = *it->second;
  if (peer.state() == PeerState::InRoom) leaveRoom(peer, lastNowMs_);
  if (peer.state() == PeerState::Bridged) --bridged_;
  peer.sink().close();
  count(counters_.closed, toString(reason));
  peers_.erase(it);
}

// ---- relay ----------------------------------------------------------------------------------

void Hub::stampIdentity(boost::json::object& msg, const Peer& sender) {
  msg["mid"] = sender.sid();
  msg["rid"] = sender.roomKey();
}

void Hub::handleRelay(Peer& peer, boost::json::object& msg, const MessageRule& rule) {
  Room* room = findRoom(peer.roomKey());
  if (room == nullptr) return drop(DropReason::InternalError);  // InRoom peers always have one

  if (room->sfu() && MessageRules::toServerPeer(rule)) {
    // The media server is every member's other end: it answers, or forwards as it sees fit.
    stampIdentity(msg, peer);
    if (serverPeer_ == nullptr) return drop(DropReason::InternalError);
    if (log::enabled(log::Level::Debug)) {
      log::debug("mcu", "from member", {{"sid", peer.sid()}, {"type", rule.type}, {"target", stringField(msg, "target")}});
    }
    return serverPeer_->onMessage(room->key(), peer.sid(), msg);
  }

  const bool targeted = rule.routing == Routing::Targeted ||
                        (rule.routing == Routing::TargetOrBroadcast && msg.contains("target"));
  if (targeted) {
    const std::string_view target = stringField(msg, "target");
    Peer* receiver =
        target == peer.sid() || !room->contains(target) ? nullptr : findPeerBySid(target);
    if (receiver == nullptr) return drop(DropReason::BadTarget);
    stampIdentity(msg, peer);
    return sendTo(*receiver, encode(msg), rule.type);
  }

  if (rule.type == "roomLockEvent") room->setLocked(boolField(msg, "lock", room->locked()));
  stampIdentity(msg, peer);
  if (rule.type == "enter") {
    if (!peer.membership().autoIntroduce) return;  // it waits to be introduced
    return broadcastEnter(*room, peer, encode(msg));
  }
  broadcast(*room, peer.sid(), encode(msg), rule.type);
}

void Hub::handleGroup(Peer& peer, const boost::json::object& msg, std::int64_t nowMs) {
  Room* room = findRoom(peer.roomKey());
  if (room == nullptr) return drop(DropReason::InternalError);

  boost::json::array accepted;
  const auto& lists = msg.at("lists").get_array();  // MessageRules checked it is an array
  for (std::size_t i = 0; i < lists.size(); ++i) {
    // Entries are JSON strings (every SkylinkJS release); an object entry is taken as the
    // message it spells, as for a message event whose argument is an object (0.5.x).
    const auto& entry = lists[i];
    std::optional<boost::json::object> inner;
    if (const auto* text = entry.if_string()) {
      inner = MessageRules::parse({text->data(), text->size()}, limits_.maxJsonDepth);
    } else if (const auto* object = entry.if_object()) {
      inner = *object;
    }
    if (!inner) {
      drop(DropReason::Malformed);
      continue;
    }
    const MessageRule* rule = MessageRules::find(stringField(*inner, "type"));
    if (rule == nullptr) {
      drop(DropReason::UnknownType);
      continue;
    }
    count(counters_.messagesIn, rule->type);
    // Only the status messages clients batch may ride in a group: a group goes to the whole
    // room, so a targeted or server message inside one would escape its rules.
    if (!rule->groupable || inner->contains("target")) {
      drop(DropReason::NotGroupable);
      continue;
    }
    const RateVerdict verdict = admit(peer, RateBucket::Broadcast, nowMs);
    if (verdict == RateVerdict::Disconnect) return;  // peer is gone
    if (verdict != RateVerdict::Pass) {
      // The bucket will not refill within this loop: the rest is over budget as well.
      for (std::size_t rest = i + 1; rest < lists.size(); ++rest) drop(DropReason::RateLimited);
      break;
    }
    switch (MessageRules::check(*rule, *inner, limits_.maxUserDataBytes)) {
      case RuleViolation::None:
        break;
      case RuleViolation::MissingField:
        drop(DropReason::MissingField);
        continue;
      case RuleViolation::WrongType:
        drop(DropReason::WrongType);
        continue;
      case RuleViolation::TooLarge:
        drop(DropReason::TooLarge);
        continue;
    }
    if (rule->type == "roomLockEvent") room->setLocked(boolField(*inner, "lock", room->locked()));
    stampIdentity(*inner, peer);
    accepted.emplace_back(boost::json::serialize(*inner));
  }
  if (accepted.empty()) return;

  // Forwarded as one group: both SkylinkJS 0.6.x (socket 'message' listener) and 2.x unpack
  // `lists`, and one packet per receiver beats up to 16.
  boost::json::object group;
  group["type"] = "group";
  group["mid"] = peer.sid();
  group["rid"] = peer.roomKey();
  group["lists"] = std::move(accepted);
  broadcast(*room, peer.sid(), encode(group), "group");
}

// ---- requests the server answers ------------------------------------------------------------

void Hub::handleGetPeers(Peer& peer, const boost::json::object& msg) {
  if (!peer.membership().privileged) return drop(DropReason::NotPrivileged);
  // SkylinkJS 2.x documents showAll as "also return the privileged peer ids".
  const bool showAll = boolField(msg, "showAll", false);
  if (plan_.count > 1 && link_ != nullptr) {
    // The realm's rooms may live on every shard: each adds its part, the answer comes back
    // through deliverPeerList.
    return link_->gatherPeers(plan_.index, peer.id(), peer.membership().realm, showAll);
  }
  deliverPeerList(peer.id(), peersOf(peer.membership().realm, showAll));
}

PeerListPart Hub::peersOf(std::string_view realm, bool showAll) const {
  PeerListPart part;
  for (const auto& [key, room] : rooms_) {
    if (room->realm() != realm) continue;
    for (const auto& member : room->members()) {
      auto it = bySid_.find(member.sid);
      if (it == bySid_.end()) continue;
      if (showAll || !it->second->membership().privileged) part[room->name()].push_back(member.sid);
    }
  }
  return part;
}

void Hub::deliverPeerList(ConnId requester, const PeerListPart& peers) {
  Peer* peer = findPeer(requester);
  if (peer == nullptr || peer->state() != PeerState::InRoom) return;
  // Room names are unique within a realm; should two rooms share one, their lists merge.
  boost::json::object result;
  for (const auto& [name, sids] : peers) {
    boost::json::array list;
    for (const auto& sid : sids) list.emplace_back(sid);
    result[name] = std::move(list);
  }
  boost::json::object peerList;
  peerList["type"] = "peerList";
  peerList["result"] = std::move(result);
  sendTo(*peer, peerList);
}

void Hub::handleIntroduce(Peer& peer, const boost::json::object& msg) {
  const std::string_view sendingId = stringField(msg, "sendingPeerId");
  const std::string_view receivingId = stringField(msg, "receivingPeerId");
  if (!peer.membership().privileged) {
    return deliverIntroduceError(peer.id(), "notPrivileged", sendingId, receivingId);
  }
  const std::string& realm = peer.membership().realm;
  if (plan_.count > 1 && link_ != nullptr) {
    return link_->gatherIntroduce(plan_.index, peer.id(), realm, std::string(sendingId),
                                  std::string(receivingId));
  }
  const auto failure =
      introduceFailure(introduceHere(realm, sendingId, receivingId), sendingId, receivingId);
  if (!failure.empty()) deliverIntroduceError(peer.id(), failure, sendingId, receivingId);
}

IntroduceProbe Hub::introduceHere(std::string_view realm, std::string_view sendingId,
                                  std::string_view receivingId) {
  // Introductions stay within the requester's realm, and within one room: the introduced pair
  // then handshakes through the ordinary same-room routing (2.x documents `introduce` as "to
  // another peer in the same room"). A room lives on one shard, so a pair in one room is
  // always on one shard.
  Peer* sending = findPeerBySid(sendingId);
  Peer* receiving = findPeerBySid(receivingId);
  if (sending != nullptr && sending->membership().realm != realm) sending = nullptr;
  if (receiving != nullptr && receiving->membership().realm != realm) receiving = nullptr;
  IntroduceProbe probe{sending != nullptr, receiving != nullptr, false};
  if (sending == nullptr || receiving == nullptr || sending == receiving ||
      sending->roomKey() != receiving->roomKey()) {
    return probe;
  }
  boost::json::object approach;
  approach["type"] = "approach";
  approach["rid"] = sending->roomKey();
  approach["target"] = receivingId;
  sendTo(*sending, approach);
  probe.sent = true;
  return probe;
}

std::string_view Hub::introduceFailure(const IntroduceProbe& merged, std::string_view sendingId,
                                       std::string_view receivingId) {
  if (merged.sent) return {};
  if (!merged.sendingFound) return "sendingPeerNotFound";
  if (!merged.receivingFound) return "receivingPeerNotFound";
  if (sendingId == receivingId) return "samePeer";
  return "notInSameRoom";
}

void Hub::deliverIntroduceError(ConnId requester, std::string_view reason,
                                std::string_view sendingId, std::string_view receivingId) {
  Peer* peer = findPeer(requester);
  if (peer == nullptr) return;
  boost::json::object error;
  error["type"] = "introduceError";
  error["reason"] = reason;
  error["sendingPeerId"] = sendingId;
  error["receivingPeerId"] = receivingId;
  sendTo(*peer, error);
}

void Hub::handleRecording(Peer& peer, boost::json::object& msg) {
  // In an SFU room the media server peer records; the room's name and app go with the
  // request, for the recording's record.
  Room* room = findRoom(peer.roomKey());
  if (room != nullptr && room->sfu() && serverPeer_ != nullptr) {
    stampIdentity(msg, peer);
    msg["roomName"] = room->name();
    msg["realm"] = room->realm();
    return serverPeer_->onMessage(room->key(), peer.sid(), msg);
  }
  // Elsewhere there is no media server (MCU) to record.
  boost::json::object event;
  event["type"] = "recordingEvent";
  event["rid"] = peer.roomKey();
  event["action"] = "error";
  event["error"] = "no media server";
  sendTo(peer, event);
}

// ---- admin ----------------------------------------------------------------------------------

HubStats Hub::stats() const {
  HubStats s = counters_;
  s.connections = peers_.size();
  s.peersInRooms = bySid_.size();
  s.rooms = rooms_.size();
  s.peersBridged = bridged_;
  return s;
}

std::vector<RoomSnapshot> Hub::rooms(std::string_view realm) const {
  std::vector<RoomSnapshot> out;
  for (const auto& [key, room] : rooms_) {
    if (realm.empty() || room->realm() == realm) out.push_back(room->snapshot());
  }
  std::sort(out.begin(), out.end(), [](const auto& a, const auto& b) { return a.roomKey < b.roomKey; });
  return out;
}

bool Hub::setLocked(std::string_view roomKey, bool locked) {
  Room* room = findRoom(roomKey);
  if (room == nullptr) return false;
  room->setLocked(locked);
  // No `mid`: the lock comes from the server, not from a peer (0.6.x shows it as "Server").
  boost::json::object event;
  event["type"] = "roomLockEvent";
  event["rid"] = room->key();
  event["lock"] = locked;
  broadcast(*room, {}, encode(event), "roomLockEvent");
  return true;
}

std::size_t Hub::kickApp(std::string_view appKey) {
  std::vector<std::string> sids;
  for (const auto& [sid, session] : sessions_) {
    if (session.appKey == appKey || session.realm == appKey) sids.push_back(sid);
  }
  std::size_t kicked = 0;
  for (const auto& sid : sids) kicked += kick(sid) ? 1 : 0;
  return kicked;
}

bool Hub::kick(std::string_view sid) {
  Peer* peer = findPeerBySid(sid);
  if (peer == nullptr) return false;
  // SkylinkJS has no "kicked" reason; `roomclose` (the session has ended, reject) is what a
  // removed peer should act on.
  redirect(*peer, "reject", "roomclose", "You were removed from the room.", peer->roomKey(),
           "kicked");
  closePeer(peer->id(), CloseReason::Kicked);
  return true;
}

std::size_t Hub::closeRoom(std::string_view roomKey) {
  Room* room = findRoom(roomKey);
  if (room == nullptr) return 0;
  std::vector<std::string> sids;
  for (const auto& m : room->members()) sids.push_back(m.sid);
  std::size_t closed = 0;
  for (const auto& sid : sids) {
    Peer* peer = findPeerBySid(sid);
    if (peer == nullptr) continue;
    redirect(*peer, "warning", "toclose", "This room moved to another server: rejoin.", peer->roomKey());
    closePeer(peer->id(), CloseReason::Moved);
    ++closed;
  }
  return closed;
}

void Hub::shutdown() {
  shuttingDown_ = true;
  for (auto& [id, peer] : peers_) {
    redirect(*peer, "warning", "toclose", "The server is shutting down.", peer->roomKey());
  }
}

// ---- the media server's peer --------------------------------------------------------------

void Hub::setServerPeer(ServerPeer* peer) {
  serverPeer_ = peer;
  if (peer != nullptr) peer->setOutbox(this);
}

bool Hub::sendToMember(std::string_view roomKey, std::string_view toSid, boost::json::object msg,
                       std::string_view asMid) {
  Room* room = findRoom(roomKey);
  if (room == nullptr || !room->contains(toSid)) return false;
  Peer* receiver = findPeerBySid(toSid);
  if (receiver == nullptr) return false;
  msg["mid"] = asMid;
  msg["rid"] = roomKey;
  const auto* type = msg.if_contains("type");
  const std::string typeName = type != nullptr && type->is_string() ? std::string(type->get_string()) : "?";
  if (log::enabled(log::Level::Debug)) {
    // The switch of an auto room and the MCU's negotiations, step by step (how many sections
    // an offer or answer names).
    const auto* infos = msg.if_contains("mediaInfoList");
    const std::string sections = infos != nullptr && infos->is_array() ? std::to_string(infos->get_array().size()) : "";
    log::debug("mcu", "to member", {{"sid", toSid}, {"type", typeName}, {"as", asMid}, {"sections", sections}});
  }
  sendTo(*receiver, encode(msg), typeName);
  return true;
}

// ---- sharding -------------------------------------------------------------------------------

unsigned Hub::shardOf(std::string_view roomKey, unsigned shardCount) {
  if (shardCount <= 1) return 0;
  // FNV-1a: the same on every run and build (std::hash need not be), so logs and benchmarks
  // can tell where a room lives.
  std::uint64_t h = 14695981039346656037ull;
  for (unsigned char c : roomKey) {
    h ^= c;
    h *= 1099511628211ull;
  }
  return static_cast<unsigned>(h % shardCount);
}

// ---- helpers --------------------------------------------------------------------------------

void Hub::redirect(Peer& peer, std::string_view action, std::string_view reason,
                   std::string_view info, std::string_view rid, std::string_view statsKey) {
  boost::json::object msg;
  msg["type"] = "redirect";
  msg["rid"] = rid;
  msg["action"] = action;
  msg["info"] = info;
  msg["reason"] = reason;
  count(counters_.redirects, statsKey.empty() ? reason : statsKey);
  sendTo(peer, msg);
}

Hub::Packet Hub::encode(const boost::json::object& msg) {
  return std::make_shared<const std::string>(
      SocketIoCodec::encodeMessage(boost::json::serialize(msg)));
}

void Hub::sendTo(Peer& peer, const Packet& packet, std::string_view type) {
  count(counters_.messagesOut, type);
  peer.sink().send(packet);
}

void Hub::sendTo(Peer& peer, const boost::json::object& msg) {
  const auto& type = msg.at("type").get_string();
  sendTo(peer, encode(msg), {type.data(), type.size()});
}

void Hub::broadcast(const Room& room, std::string_view exceptSid, const Packet& packet,
                    std::string_view type) {
  for (const auto& member : room.members()) {
    if (member.sid == exceptSid) continue;
    Peer* receiver = findPeerBySid(member.sid);
    if (receiver != nullptr) sendTo(*receiver, packet, type);
  }
}

void Hub::broadcastEnter(const Room& room, const Peer& sender, const Packet& packet) {
  for (const auto& member : room.members()) {  // in join order
    if (member.sid == sender.sid()) return;
    Peer* receiver = findPeerBySid(member.sid);
    if (receiver == nullptr || !receiver->membership().autoIntroduce) continue;
    sendTo(*receiver, packet, "enter");
  }
}

Peer* Hub::findPeer(ConnId id) {
  auto it = peers_.find(id);
  return it == peers_.end() ? nullptr : it->second.get();
}

Peer* Hub::findPeerBySid(std::string_view sid) {
  auto it = bySid_.find(sid);
  return it == bySid_.end() ? nullptr : it->second;
}

Room* Hub::findRoom(std::string_view roomKey) {
  auto it = rooms_.find(roomKey);
  return it == rooms_.end() ? nullptr : it->second.get();
}

std::string Hub::newSid() {
  // A UUID v4 string from the CSPRNG. sids are public (every peer of the room sees them) and
  // grant nothing, since the Hub stamps `mid` itself; unpredictable ones still keep a peer from
  // aiming messages at peers that have not joined yet.
  static constexpr char hex[] = "0123456789abcdef";
  for (;;) {
    std::string bytes = crypto::randomBytes(16);
    bytes[6] = static_cast<char>((bytes[6] & 0x0F) | 0x40);  // version 4
    bytes[8] = static_cast<char>((bytes[8] & 0x3F) | 0x80);  // RFC 4122 variant
    std::string sid;
    sid.reserve(36);
    for (std::size_t i = 0; i < bytes.size(); ++i) {
      if (i == 4 || i == 6 || i == 8 || i == 10) sid += '-';
      const auto b = static_cast<unsigned char>(bytes[i]);
      sid += hex[b >> 4];
      sid += hex[b & 0x0F];
    }
    if (!bySid_.contains(sid)) return sid;
  }
}

std::uint64_t Hub::newTieBreaker(const Room& room) {
  for (;;) {
    const std::uint64_t candidate = rng_() & kTieBreakerMask;
    if (!room.tieBreakerTaken(candidate)) return candidate;
  }
}

void Hub::notifyLeft(const std::string& sid, std::int64_t nowMs) {
  auto node = sessions_.extract(sid);
  if (node.empty() || listener_ == nullptr) return;
  PeerSession& session = node.mapped();
  session.leftAtMs = std::max(nowMs, session.joinedAtMs);
  try {
    listener_->onPeerLeft(session);
  } catch (...) {
    drop(DropReason::InternalError);
  }
}

void Hub::drop(DropReason reason) {
  count(counters_.dropped, toString(reason));
}

void Hub::count(CounterMap& counters, std::string_view key) {
  auto it = counters.find(key);
  if (it == counters.end()) it = counters.emplace(std::string(key), 0).first;
  ++it->second;
}

}  // namespace aerie
