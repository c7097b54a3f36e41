#include "cluster/ClusterNode.hpp"

#include <charconv>

#include "core/Crypto.hpp"
#include "core/Log.hpp"

namespace aerie {
namespace {

// KEYS[1] room key, KEYS[2] the set of node ids; ARGV: node key prefix, candidate id, caller id
// ("" when draining), TTL ms. The candidate may have died since the caller's last heartbeat:
// then the caller, then any live node. Returns {owner id, owner's node value}, or an error
// reply when no node is alive.
constexpr const char* kClaim = R"lua(
local function alive(id, epoch)
  if id == '' then return false end
  local v = redis.call('GET', ARGV[1] .. id)
  if not v then return false end
  if epoch and string.sub(v, 1, #epoch + 1) ~= epoch .. ' ' then return false end
  return v
end
local cur = redis.call('GET', KEYS[1])
if cur then
  local id, epoch = string.match(cur, '^(%S+) (%S+)$')
  if id then
    local v = alive(id, epoch)
    if v then return {id, v} end
  end
end
local ids = {ARGV[2], ARGV[3]}
for _, id in ipairs(redis.call('SMEMBERS', KEYS[2])) do table.insert(ids, id) end
for _, id in ipairs(ids) do
  local v = alive(id, nil)
  if v then
    redis.call('SET', KEYS[1], id .. ' ' .. string.match(v, '^(%S+)'), 'PX', ARGV[4])
    return {id, v}
  end
end
return redis.error_reply('no live node can take the room')
)lua";

// KEYS[1] room key; ARGV: node key prefix, "<id> <epoch>" of the caller, TTL ms. Keeps or takes
// the room for the caller (1), unless another live node owns it: then {owner id, node value}.
constexpr const char* kRefresh = R"lua(
local cur = redis.call('GET', KEYS[1])
if cur and cur ~= ARGV[2] then
  local id, epoch = string.match(cur, '^(%S+) (%S+)$')
  if id then
    local v = redis.call('GET', ARGV[1] .. id)
    if v and string.sub(v, 1, #epoch + 1) == epoch .. ' ' then return {id, v} end
  end
end
redis.call('SET', KEYS[1], ARGV[2], 'PX', ARGV[3])
return 1
)lua";

// KEYS[1] room key; ARGV[1] "<id> <epoch>": deletes the key only if it is still the caller's.
constexpr const char* kRelease = R"lua(
if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('DEL', KEYS[1]) end
return 0
)lua";

// KEYS[1] the set of node ids; ARGV[1] node key prefix. {id, value, id, value, ...} of the live
// ones; the dead leave the set.
constexpr const char* kNodes = R"lua(
local out = {}
for _, id in ipairs(redis.call('SMEMBERS', KEYS[1])) do
  local v = redis.call('GET', ARGV[1] .. id)
  if v then
    table.insert(out, id)
    table.insert(out, v)
  else
    redis.call('SREM', KEYS[1], id)
  end
end
return out
)lua";

bool ownerOf(const RedisClient::Reply& r, NodeAddress& node, std::string& epoch) {
  if (!r.ok || r.value.type != RespValue::Type::Array || r.value.elements.size() != 2) return false;
  const auto id = r.value.elements[0].string();
  const auto value = r.value.elements[1].string();
  if (!id || !value || !ClusterNode::parseNodeValue(*value, node, epoch)) return false;
  node.id = std::string(*id);
  return true;
}

}  // namespace

ClusterNode::ClusterNode(RedisClient& redis, ClusterOptions options)
    : redis_(redis), options_(std::move(options)), epoch_(crypto::randomToken(8)),
      rng_(std::random_device{}()) {}

std::string ClusterNode::key(std::string_view kind, std::string_view id) const {
  std::string k = options_.prefix;
  k += kind;
  k += ':';
  k += id;
  return k;
}

bool ClusterNode::parseNodeValue(std::string_view value, NodeAddress& node, std::string& epoch) {
  std::string_view parts[4];
  std::size_t n = 0;
  bool more = true;
  while (more && n < 4) {
    const auto space = value.find(' ');
    parts[n++] = value.substr(0, space);
    more = space != std::string_view::npos;
    if (more) value.remove_prefix(space + 1);
  }
  if (n != 4 || more || parts[0].empty() || parts[1].empty()) return false;
  unsigned port = 0;
  std::uint32_t rooms = 0;
  auto p = std::from_chars(parts[2].data(), parts[2].data() + parts[2].size(), port);
  if (p.ec != std::errc() || p.ptr != parts[2].data() + parts[2].size() || port == 0 || port > 65535) return false;
  auto q = std::from_chars(parts[3].data(), parts[3].data() + parts[3].size(), rooms);
  if (q.ec != std::errc() || q.ptr != parts[3].data() + parts[3].size()) return false;
  epoch.assign(parts[0]);
  node.host.assign(parts[1]);
  node.port = static_cast<std::uint16_t>(port);
  node.rooms = rooms;
  return true;
}

NodeAddress ClusterNode::self() const {
  return NodeAddress{options_.nodeId, options_.publicHost, options_.publicPort, 0};
}

void ClusterNode::start() {
  redis_.setListener(this);
  redis_.every(options_.heartbeatMs, [this] { heartbeat(); });
  redis_.every(options_.roomRefreshMs, [this] { refreshRooms(); });
  redis_.start();
}

void ClusterNode::onReady() {
  // First the node key (so claims see this node alive), then this node's rooms: after a Redis
  // restart they are back before any other node can place them elsewhere through an API call
  // that reaches Redis after these commands.
  heartbeat();
  refreshRooms();
}

void ClusterNode::onDown(const std::string& why) {
  log::warn("cluster", "registry unreachable: serving the rooms held, refusing new ones", {{"error", why}});
}

void ClusterNode::heartbeat() {
  if (draining_ || redis_.state() != RedisClient::State::Ready) return;
  std::size_t rooms;
  {
    std::lock_guard lock(mutex_);
    rooms = rooms_.size();
  }
  std::string value = epoch_ + " " + options_.publicHost + " " + std::to_string(options_.publicPort) + " " +
                      std::to_string(rooms);
  redis_.send({"SET", key("node", options_.nodeId), value, "PX", std::to_string(options_.aliveTtlMs)}, nullptr);
  redis_.send({"SADD", options_.prefix + "nodes", options_.nodeId}, nullptr);
  redis_.send({"EVAL", kNodes, "1", options_.prefix + "nodes", options_.prefix + "node:"},
              [this](RedisClient::Reply r) {
                if (!r.ok || r.value.type != RespValue::Type::Array) return;
                std::vector<NodeAddress> live;
                const auto& e = r.value.elements;
                for (std::size_t i = 0; i + 1 < e.size(); i += 2) {
                  NodeAddress node;
                  std::string epoch;
                  const auto id = e[i].string();
                  const auto value = e[i + 1].string();
                  if (!id || !value || !parseNodeValue(*value, node, epoch)) continue;
                  node.id = std::string(*id);
                  live.push_back(std::move(node));
                }
                std::lock_guard lock(mutex_);
                live_ = std::move(live);
              });
}

void ClusterNode::refreshRooms() {
  if (draining_ || redis_.state() != RedisClient::State::Ready) return;
  std::vector<std::string> keys;
  {
    std::lock_guard lock(mutex_);
    for (const auto& [roomKey, peers] : rooms_) keys.push_back(roomKey);
  }
  for (const auto& roomKey : keys) refreshRoom(roomKey);
}

void ClusterNode::refreshRoom(const std::string& roomKey) {
  redis_.send({"EVAL", kRefresh, "1", key("room", roomKey), options_.prefix + "node:",
               options_.nodeId + " " + epoch_, std::to_string(options_.roomTtlMs)},
              [this, roomKey](RedisClient::Reply r) {
                NodeAddress owner;
                std::string epoch;
                if (!ownerOf(r, owner, epoch)) return;
                roomsLost_.fetch_add(1);
                log::warn("cluster", "room owned by another node: closing the copy here",
                          {{"room", roomKey}, {"owner", owner.id}});
                if (listener_) listener_->onRoomLost(roomKey, owner);
              });
}

std::string ClusterNode::pickCandidate() {
  std::lock_guard lock(mutex_);
  if (live_.empty()) return draining_ ? std::string() : options_.nodeId;
  // The less loaded of two picked at random: the counts are a heartbeat old, and two choices
  // spread a burst of new rooms where always taking the least loaded would pile them on one.
  std::uniform_int_distribution<std::size_t> any(0, live_.size() - 1);
  const NodeAddress& a = live_[any(rng_)];
  const NodeAddress& b = live_[any(rng_)];
  return (b.rooms < a.rooms ? b : a).id;
}

bool ClusterNode::isLocal(const std::string& roomKey) const {
  std::lock_guard lock(mutex_);
  return rooms_.count(roomKey) != 0;
}

std::vector<std::string> ClusterNode::claimCommand(const std::string& roomKey, const std::string& candidate,
                                                  const std::string& self) const {
  return {"EVAL", kClaim, "2", key("room", roomKey), options_.prefix + "nodes", options_.prefix + "node:", candidate, self,
          std::to_string(options_.roomTtlMs)};
}

RoomHome ClusterNode::claim(const std::string& roomKey, const std::string& candidate, const std::string& self) {
  claims_.fetch_add(1);
  return claimed(redis_.call(claimCommand(roomKey, candidate, self)));
}

RoomHome ClusterNode::claimed(const RedisClient::Reply& r) {
  RoomHome home;
  std::string epoch;
  if (!ownerOf(r, home.node, epoch)) {
    unavailable_.fetch_add(1);
    home.status = RoomHome::Status::Unavailable;
    home.error = r.ok ? "the cluster has no live node to place the room on" : "the cluster registry is unreachable";
    return home;
  }
  home.status = RoomHome::Status::Ok;
  home.here = home.node.id == options_.nodeId && epoch == epoch_;
  if (home.here) claimsWon_.fetch_add(1);
  return home;
}

RoomHome ClusterNode::orLocal(const std::string& roomKey, RoomHome home) const {
  if (home.status == RoomHome::Status::Ok) return home;
  if (isLocal(roomKey)) return RoomHome{RoomHome::Status::Ok, self(), true, {}};
  home.status = RoomHome::Status::Unavailable;
  return home;
}

RoomHome ClusterNode::place(const std::string& roomKey) {
  if (redis_.state() != RedisClient::State::Ready) {
    unavailable_.fetch_add(1);
    return orLocal(roomKey, RoomHome{RoomHome::Status::Unavailable, {}, false, "the cluster registry is unreachable"});
  }
  return orLocal(roomKey, claim(roomKey, pickCandidate(), draining_ ? std::string() : options_.nodeId));
}

void ClusterNode::placeAsync(const std::string& roomKey, std::function<void(RoomHome)> done) {
  if (redis_.state() != RedisClient::State::Ready) {
    unavailable_.fetch_add(1);
    return done(orLocal(roomKey, RoomHome{RoomHome::Status::Unavailable, {}, false, "the cluster registry is unreachable"}));
  }
  claims_.fetch_add(1);
  // The client answers every command, within its command timeout when Redis hangs.
  redis_.send(claimCommand(roomKey, pickCandidate(), draining_ ? std::string() : options_.nodeId),
              [this, roomKey, done = std::move(done)](RedisClient::Reply r) { done(orLocal(roomKey, claimed(r))); });
}

RoomHome ClusterNode::claimHere(const std::string& roomKey) {
  if (isLocal(roomKey)) return RoomHome{RoomHome::Status::Ok, self(), true, {}};
  if (draining_) return RoomHome{RoomHome::Status::Draining, {}, false, "this node is shutting down"};
  if (redis_.state() != RedisClient::State::Ready) {
    unavailable_.fetch_add(1);
    return RoomHome{RoomHome::Status::Unavailable, {}, false, "the cluster registry is unreachable"};
  }
  RoomHome home = claim(roomKey, options_.nodeId, options_.nodeId);
  if (home.status == RoomHome::Status::Ok && !home.here) home.status = RoomHome::Status::Elsewhere;
  return home;
}

void ClusterNode::peerJoined(const std::string& roomKey) {
  std::lock_guard lock(mutex_);
  ++rooms_[roomKey];
}

void ClusterNode::peerLeft(const std::string& roomKey) {
  {
    std::lock_guard lock(mutex_);
    auto it = rooms_.find(roomKey);
    if (it == rooms_.end()) return;
    if (--it->second != 0) return;
    rooms_.erase(it);
  }
  redis_.send({"EVAL", kRelease, "1", key("room", roomKey), options_.nodeId + " " + epoch_}, nullptr);
}

void ClusterNode::drain() {
  if (draining_.exchange(true)) return;
  log::info("cluster", "draining: leaving the registry, no new rooms");
  std::vector<std::string> keys;
  {
    std::lock_guard lock(mutex_);
    for (const auto& [roomKey, peers] : rooms_) keys.push_back(roomKey);
  }
  redis_.send({"DEL", key("node", options_.nodeId)}, nullptr);
  redis_.send({"SREM", options_.prefix + "nodes", options_.nodeId}, nullptr);
  for (const auto& roomKey : keys) {
    redis_.send({"EVAL", kRelease, "1", key("room", roomKey), options_.nodeId + " " + epoch_}, nullptr);
  }
}

std::size_t ClusterNode::localRooms() const {
  std::lock_guard lock(mutex_);
  return rooms_.size();
}

std::vector<NodeAddress> ClusterNode::liveNodes() const {
  std::lock_guard lock(mutex_);
  return live_;
}

void ClusterNode::render(std::string& out) const {
  const std::string label = "{node=\"" + options_.nodeId + "\"}";
  auto line = [&](const char* name, const char* type, const char* help, std::uint64_t value, const std::string& labels) {
    out += "# HELP ";
    out += name;
    out += ' ';
    out += help;
    out += "\n# TYPE ";
    out += name;
    out += ' ';
    out += type;
    out += '\n';
    out += name;
    out += labels;
    out += ' ';
    out += std::to_string(value);
    out += '\n';
  };
  std::size_t live;
  {
    std::lock_guard lock(mutex_);
    live = live_.size();
  }
  line("aerie_cluster_node_info", "gauge", "This node in the cluster (1), by node id and process epoch.", 1,
       "{node=\"" + options_.nodeId + "\",epoch=\"" + epoch_ + "\"}");
  line("aerie_cluster_redis_up", "gauge", "1 while the connection to the cluster registry (Redis) is ready.",
       redis_.state() == RedisClient::State::Ready ? 1 : 0, label);
  line("aerie_cluster_draining", "gauge", "1 once SIGTERM made this node stop taking rooms.", draining_ ? 1 : 0, label);
  line("aerie_cluster_rooms", "gauge", "Rooms with peers on this node.", localRooms(), label);
  line("aerie_cluster_live_nodes", "gauge", "Live nodes in the registry as of the last heartbeat.", live, label);
  line("aerie_cluster_claims_total", "counter", "Room ownership lookups and claims sent to the registry.", claims_.load(), label);
  line("aerie_cluster_claims_won_total", "counter", "Claims that gave the room to this node.", claimsWon_.load(), label);
  line("aerie_cluster_unavailable_total", "counter", "Placements refused because the registry was unreachable.",
       unavailable_.load(), label);
  line("aerie_cluster_rooms_lost_total", "counter", "Rooms closed here because another live node owned them.",
       roomsLost_.load(), label);
  line("aerie_cluster_redis_connects_total", "counter", "Connections made to the registry.", redis_.connects(), label);
}

}  // namespace aerie
