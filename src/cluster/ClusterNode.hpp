#pragma once
// This node's part in a cluster of aerie nodes that share one Redis (docs/cluster.md): the node
// registry with liveness, and which node owns each room.
//
// Keys (all under `prefix`, "aerie:" by default; plain commands and EVAL, which Valkey has too):
//   node:<id>         "<epoch> <host> <port> <rooms>", SET PX aliveTtlMs every heartbeatMs.
//                     Alive while it exists: Redis's clock judges, never a node's. The epoch
//                     (random per process) tells a restarted node from its former self.
//   nodes             the set of node ids ever seen (dead ones are pruned by the `nodes` script)
//   room:<roomKey>    "<id> <epoch>" of the owner, PX roomTtlMs, re-asserted by the owner every
//                     roomRefreshMs and at every reconnect, deleted (if still ours) when the
//                     room empties on this node.
// A claim keeps a room's owner while the owner's node key holds the owner's epoch; otherwise
// it gives the room to the candidate the caller picked (the live node with fewer rooms of two
// picked at random), or to the caller itself if that one is gone too.
//
// placeAsync() (the API) sends one claim and answers from the Redis client's thread, so the
// API's loop goes on serving while Redis answers, or hangs until the command timeout.
// claimHere() (a join for a room not held here) and place() wait for that round trip on their
// loop. When Redis is unreachable they all answer at once: rooms this node holds stay served,
// others are refused with a clear reason.
#include <atomic>
#include <cstdint>
#include <functional>
#include <mutex>
#include <random>
#include <string>
#include <unordered_map>
#include <vector>

#include "cluster/RedisClient.hpp"

namespace aerie {

struct ClusterOptions {
  std::string nodeId;
  std::string publicHost;  // what API replies hand out for rooms on this node
  std::uint16_t publicPort = 0;
  std::string prefix = "aerie:";
  std::uint32_t aliveTtlMs = 3000;
  std::uint32_t heartbeatMs = 1000;
  std::uint32_t roomTtlMs = 60000;
  std::uint32_t roomRefreshMs = 20000;
};

struct NodeAddress {
  std::string id;
  std::string host;
  std::uint16_t port = 0;
  std::uint32_t rooms = 0;  // as of its last heartbeat
};

struct RoomHome {
  enum class Status {
    Ok,           // `node` owns the room (`here`: this node)
    Unavailable,  // no answer from the registry (Redis away) and the room is not here
    Elsewhere,    // claimHere(): another live node owns the room (`node`)
    Draining,     // claimHere(): this node is shutting down and takes no new rooms
  };
  Status status = Status::Unavailable;
  NodeAddress node;
  bool here = false;
  std::string error;  // for Unavailable: why, fit for a client (no secrets in it)
};

class ClusterNode final : public RedisClient::Listener {
 public:
  // Hears of rooms this node holds although another live node owns them (after Redis came back
  // and another node claimed them meanwhile): the local copy must close so its peers rejoin
  // through the API. Called on the Redis client's thread.
  class Listener {
   public:
    virtual ~Listener() = default;
    virtual void onRoomLost(const std::string& roomKey, const NodeAddress& owner) = 0;
  };

  ClusterNode(RedisClient& redis, ClusterOptions options);
  ClusterNode(const ClusterNode&) = delete;
  ClusterNode& operator=(const ClusterNode&) = delete;

  void setListener(Listener* listener) { listener_ = listener; }
  // Registers the heartbeat and starts the client. Before the loops serve requests.
  void start();

  // The room's node for an API reply; claims the room for a live node if it has none.
  RoomHome place(const std::string& roomKey);
  // The same without waiting: `done` runs once, at once when Redis is away, else on the Redis
  // client's thread with the reply (or the client's command timeout when Redis hangs).
  void placeAsync(const std::string& roomKey, std::function<void(RoomHome)> done);
  // For a join arriving here: Ok with here=true if this node holds or may take the room.
  RoomHome claimHere(const std::string& roomKey);

  // Peers of this node's rooms (any thread): a room empty again releases its key.
  void peerJoined(const std::string& roomKey);
  void peerLeft(const std::string& roomKey);

  // SIGTERM: no new rooms; this node's registry entry and room keys go at once, so its peers,
  // told `toclose`, are placed on other nodes when they rejoin.
  void drain();
  bool draining() const { return draining_.load(); }

  const std::string& nodeId() const { return options_.nodeId; }
  const std::string& epoch() const { return epoch_; }
  std::size_t localRooms() const;
  // Live nodes as of the last heartbeat (this one included once registered).
  std::vector<NodeAddress> liveNodes() const;
  // Prometheus text: the node id as a label, Redis state, claims.
  void render(std::string& out) const;

  // Parses a node key's value "<epoch> <host> <port> <rooms>"; false if malformed.
  static bool parseNodeValue(std::string_view value, NodeAddress& node, std::string& epoch);

  // RedisClient::Listener
  void onReady() override;
  void onDown(const std::string& why) override;

 private:
  void heartbeat();
  void refreshRooms();
  void refreshRoom(const std::string& roomKey);
  std::string pickCandidate();
  std::vector<std::string> claimCommand(const std::string& roomKey, const std::string& candidate,
                                        const std::string& self) const;
  RoomHome claim(const std::string& roomKey, const std::string& candidate, const std::string& self);
  RoomHome claimed(const RedisClient::Reply& r);
  // `home` if Ok; else this node if it holds the room (it keeps serving it); else Unavailable.
  RoomHome orLocal(const std::string& roomKey, RoomHome home) const;
  bool isLocal(const std::string& roomKey) const;
  NodeAddress self() const;
  std::string key(std::string_view kind, std::string_view id) const;

  RedisClient& redis_;
  const ClusterOptions options_;
  const std::string epoch_;
  Listener* listener_ = nullptr;
  std::atomic<bool> draining_{false};
  mutable std::mutex mutex_;
  std::unordered_map<std::string, std::uint32_t> rooms_;  // roomKey -> peers here
  std::vector<NodeAddress> live_;
  std::mt19937 rng_;
  std::atomic<std::uint64_t> claims_{0};
  std::atomic<std::uint64_t> claimsWon_{0};
  std::atomic<std::uint64_t> unavailable_{0};
  std::atomic<std::uint64_t> roomsLost_{0};
};

}  // namespace aerie
