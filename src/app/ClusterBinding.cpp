#include "app/ClusterBinding.hpp"

#include "hub/Hub.hpp"
#include "transport/HubGateway.hpp"

namespace aerie {

void ClusterBinding::attach(ClusterNode& node, HubGateway& hubs) {
  node_ = &node;
  hubs_ = &hubs;
  node.setListener(this);
}

namespace {

PlacedRoom placedRoom(const RoomHome& home) {
  PlacedRoom placed;
  placed.ok = home.status == RoomHome::Status::Ok;
  placed.host = home.node.host;
  placed.port = home.node.port;
  placed.error = home.error;
  return placed;
}

}  // namespace

PlacedRoom ClusterBinding::place(const std::string& roomKey) {
  if (node_ == nullptr) return PlacedRoom{false, {}, 0, "the cluster is not ready"};
  return placedRoom(node_->place(roomKey));
}

void ClusterBinding::placeAsync(const std::string& roomKey, std::function<void(PlacedRoom)> done) {
  if (node_ == nullptr) return done(PlacedRoom{false, {}, 0, "the cluster is not ready"});
  node_->placeAsync(roomKey, [done = std::move(done)](RoomHome home) { done(placedRoom(home)); });
}

JoinGrant ClusterBinding::authorize(const boost::json::object& joinRoom, std::int64_t nowMs) {
  JoinGrant grant = inner_.authorize(joinRoom, nowMs);
  if (!grant.ok || node_ == nullptr) return grant;
  const RoomHome home = node_->claimHere(grant.roomKey);
  JoinGrant refused;
  switch (home.status) {
    case RoomHome::Status::Ok:
      return grant;
    case RoomHome::Status::Elsewhere:
      // The Hub bridges the socket to the owner (docs/cluster.md, "Bridging"). Should no bridge
      // open, `roomclose` makes SkylinkJS and our library give up this socket; our app and
      // library then rejoin through the API, which names the owner.
      refused.bridgeHost = home.node.host;
      refused.bridgePort = home.node.port;
      refused.reason = "roomclose";
      refused.info = "This room is served by another server (" + home.node.host + ":" +
                     std::to_string(home.node.port) + "): rejoin through the API.";
      return refused;
    case RoomHome::Status::Draining:
      refused.reason = "roomclose";
      refused.info = "This server is shutting down: rejoin through the API.";
      return refused;
    case RoomHome::Status::Unavailable:
      break;
  }
  refused.reason = "serverError";
  refused.info = "This server cannot open the room now (" + home.error + "); try again shortly.";
  return refused;
}

void ClusterBinding::onPeerJoined(const PeerSession& session) {
  if (recorder_ != nullptr) recorder_->onPeerJoined(session);
  if (node_ != nullptr) node_->peerJoined(session.roomKey);
}

void ClusterBinding::onPeerLeft(const PeerSession& session) {
  if (recorder_ != nullptr) recorder_->onPeerLeft(session);
  if (node_ != nullptr) node_->peerLeft(session.roomKey);
}

void ClusterBinding::onRoomLost(const std::string& roomKey, const NodeAddress&) {
  if (hubs_ == nullptr) return;
  hubs_->gather<std::size_t>([roomKey](Hub& hub) { return hub.closeRoom(roomKey); },
                             [](std::vector<std::optional<std::size_t>>) {});
}

}  // namespace aerie
