#pragma once
// The signaling core: connections, rooms and the relay rules of protocol spec sections 4 and 5.
// Pure logic (no Asio/Beast). Single-threaded by contract: the transport calls a Hub from one
// thread only, and a PeerSink must not call back into the Hub synchronously.
#include <boost/json/object.hpp>
#include <chrono>
#include <cstdint>
#include <map>
#include <memory>
#include <random>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "core/Limits.hpp"
#include "hub/HubListener.hpp"
#include "hub/HubStats.hpp"
#include "hub/JoinAuthorizer.hpp"
#include "hub/MessageRules.hpp"
#include "hub/PeerBridge.hpp"
#include "hub/Peer.hpp"
#include "hub/PeerSink.hpp"
#include "hub/Room.hpp"
#include "hub/ServerPeer.hpp"
#include "hub/ShardLink.hpp"

namespace aerie {

class Hub : public ServerPeerOutbox {
 public:
  using ConnId = std::uint64_t;

  // One Hub per event loop: `plan` says which shard this is. A room lives on the shard
  // shardOf(roomKey) names; a joinRoom for a room of another shard is handed there through the
  // ShardLink (setShardLink), with the peer.
  Hub(const Limits& limits, JoinAuthorizer& authorizer, ShardPlan plan = {});
  Hub(const Hub&) = delete;
  Hub& operator=(const Hub&) = delete;
  ~Hub() override;

  // Connection ids are unique over all shards (the shard is in the low byte), so a peer keeps
  // its id when it moves.
  ConnId connect(std::shared_ptr<PeerSink> sink, std::int64_t nowMs);
  // The inner JSON string of a socket.io `message` event. Never throws.
  void onMessage(ConnId id, std::string_view json, std::int64_t nowMs);
  // A socket.io event with no Skylink message in it (SocketIoCodec::messageArgument): counted
  // under aerie_messages_dropped_total like any malformed message (OtherEvent,
  // BadEventArgument, Malformed). Never throws.
  void countUnusableEvent(DropReason reason);
  // The socket is gone: leave its room (bye to the others). Idempotent.
  void disconnect(ConnId id, std::int64_t nowMs);
  // Called about once a second: closes sockets that did not join within Limits::joinTimeoutMs.
  void tick(std::int64_t nowMs);

  // Sharding. The shard of a room (a stable hash of its key).
  static unsigned shardOf(std::string_view roomKey, unsigned shardCount);
  const ShardPlan& plan() const { return plan_; }
  // Optional with one shard; set before the loops run.
  void setShardLink(ShardLink* link) { link_ = link; }
  // Cluster mode: joins granted to another node's room (JoinGrant::bridgePort) are bridged
  // there through `opener`; without one they are refused. Set before the loops run.
  void setBridgeOpener(BridgeOpener* opener) { bridgeOpener_ = opener; }
  // A peer handed over by another shard (ShardLink::handOff): it joins the granted room here.
  void adopt(std::unique_ptr<Peer> peer, JoinGrant grant, std::string_view joinJson,
             std::int64_t nowMs);
  // This shard's part of a privileged getPeers.
  PeerListPart peersOf(std::string_view realm, bool showAll) const;
  // The merged answer for `requester`'s getPeers (dropped if it has gone).
  void deliverPeerList(ConnId requester, const PeerListPart& peers);
  // Tries an introduce here: sends the `approach` if both peers are in one room of this shard.
  IntroduceProbe introduceHere(std::string_view realm, std::string_view sendingId,
                               std::string_view receivingId);
  // Why an introduce failed, from every shard's probe merged; empty if one sent it.
  static std::string_view introduceFailure(const IntroduceProbe& merged, std::string_view sendingId,
                                           std::string_view receivingId);
  void deliverIntroduceError(ConnId requester, std::string_view reason, std::string_view sendingId,
                             std::string_view receivingId);

  // The media server's peer for SFU rooms (one per shard, on this shard's loop); without one,
  // joins to an SFU room are refused with a clear reason. Set before the loops run.
  void setServerPeer(ServerPeer* peer);
  // ServerPeerOutbox.
  bool sendToMember(std::string_view roomKey, std::string_view toSid, boost::json::object msg,
                    std::string_view asMid) override;

  // Admin/metrics.
  HubStats stats() const;
  std::vector<RoomSnapshot> rooms(std::string_view realm = {}) const;
  // Server-side lock; broadcasts roomLockEvent to the room. False if there is no such room.
  bool setLocked(std::string_view roomKey, bool locked);
  // Redirect reject, bye to the room, close. False if no peer has this sid.
  bool kick(std::string_view sid);
  // Kicks every peer that joined with `appKey`, or, for a primary key, anywhere in its realm
  // (a revoked key must not keep its rooms). Returns how many.
  std::size_t kickApp(std::string_view appKey);
  // Cluster mode: another node owns this room. Its peers hear `toclose` and are closed, so
  // they rejoin through the API, which sends them to the owner. Returns how many.
  std::size_t closeRoom(std::string_view roomKey);
  // Redirect warning `toclose` to everyone; later joins are rejected with `roomclose`.
  void shutdown();
  // Optional; must outlive the Hub or be reset to nullptr first. Set before the loops run.
  void setListener(HubListener* listener) { listener_ = listener; }

 private:
  using Packet = std::shared_ptr<const std::string>;

  void handleMessage(ConnId id, std::string_view json, std::int64_t nowMs);
  void handleJoin(Peer& peer, const boost::json::object& msg, std::int64_t nowMs);
  // The rest of a join once the credentials gave `grant` and the room is on this shard. True
  // when the peer got inRoom.
  bool joinGranted(Peer& peer, const boost::json::object& msg, const JoinGrant& grant,
                   std::int64_t nowMs);
  // A join for a room on another node: from now on the peer's messages go there.
  void bridgeJoin(Peer& peer, const boost::json::object& msg, const JoinGrant& grant,
                  std::string_view requestedRid);
  void handleRelay(Peer& peer, boost::json::object& msg, const MessageRule& rule);
  void handleGroup(Peer& peer, const boost::json::object& msg, std::int64_t nowMs);
  void handleGetPeers(Peer& peer, const boost::json::object& msg);
  void handleIntroduce(Peer& peer, const boost::json::object& msg);
  void handleRecording(Peer& peer, boost::json::object& msg);

  void observeJoin(std::chrono::steady_clock::time_point startedAt);
  // Charges `bucket`; on a verdict other than Pass drops and warns, and on Disconnect closes
  // the peer, after which the caller must not touch it.
  RateVerdict admit(Peer& peer, RateBucket bucket, std::int64_t nowMs);
  void leaveRoom(Peer& peer, std::int64_t nowMs);
  // An auto room past Limits::autoSfuPeers goes through the server peer, one below it back to a
  // mesh (HubMediaSwitch.cpp); the members hear `mediaMode`.
  // `newcomer`: a member that joins now and learns the mode from its inRoom instead.
  void switchMediaIfDue(Room& room, std::string_view newcomer = {});
  void closePeer(ConnId id, CloseReason reason);
  void redirect(Peer& peer, std::string_view action, std::string_view reason, std::string_view info,
                std::string_view rid, std::string_view statsKey = {});
  // Re-stamps `mid`/`rid` with the sender's identity (spec section 4: Identity).
  static void stampIdentity(boost::json::object& msg, const Peer& sender);

  static Packet encode(const boost::json::object& msg);
  void sendTo(Peer& peer, const Packet& packet, std::string_view type);
  void sendTo(Peer& peer, const boost::json::object& msg);
  // To every member of `room` but `exceptSid`.
  void broadcast(const Room& room, std::string_view exceptSid, const Packet& packet,
                 std::string_view type);
  // An untargeted `enter` goes only to the members that joined before its sender, and only to
  // those with autoIntroduce (the others wait for an `introduce` by a privileged peer). So the
  // elder always answers `welcome` and the newcomer always offers: when two peers join at once,
  // each would otherwise get the other's `enter` before any `welcome`, and SkylinkJS 2.7.2 then
  // answers both and drops the other's `welcome`, and nobody offers.
  void broadcastEnter(const Room& room, const Peer& sender, const Packet& packet);

  Peer* findPeer(ConnId id);
  Peer* findPeerBySid(std::string_view sid);
  Room* findRoom(std::string_view roomKey);
  std::string newSid();
  std::uint64_t newTieBreaker(const Room& room);

  void drop(DropReason reason);
  static void count(CounterMap& counters, std::string_view key);

  // Tells the listener, swallowing (and counting) what it throws: see HubListener.hpp.
  void notifyLeft(const std::string& sid, std::int64_t nowMs);

  Limits limits_;
  JoinAuthorizer& authorizer_;
  ShardPlan plan_;
  ShardLink* link_ = nullptr;
  BridgeOpener* bridgeOpener_ = nullptr;
  std::uint64_t bridged_ = 0;  // peers in PeerState::Bridged
  ServerPeer* serverPeer_ = nullptr;
  HubListener* listener_ = nullptr;
  std::map<std::string, PeerSession, std::less<>> sessions_;  // by sid, for the listener
  // The latest time a caller gave; a leave the Hub causes itself (kick) has no time of its own.
  std::int64_t lastNowMs_ = 0;
  ConnId nextId_ = 1;
  bool shuttingDown_ = false;
  std::unordered_map<ConnId, std::unique_ptr<Peer>> peers_;
  // Hashed, and looked up by string_view: every relayed message finds its room and its target.
  struct StringHash {
    using is_transparent = void;
    std::size_t operator()(std::string_view s) const { return std::hash<std::string_view>{}(s); }
  };
  template <class V>
  using StringMap = std::unordered_map<std::string, V, StringHash, std::equal_to<>>;
  StringMap<Peer*> bySid_;  // peers in rooms; an entry goes before its peer does
  StringMap<std::unique_ptr<Room>> rooms_;
  HubStats counters_;  // the map counters; the gauges are computed in stats()
  std::mt19937_64 rng_;
};

}  // namespace aerie
