#pragma once
// Plugs the cluster registry (cluster/ClusterNode) into the layers that know nothing of it:
//   - RoomPlacer for the API: the reply names the room's node (asked of Redis without holding
//     the API's loop);
//   - JoinAuthorizer around the credential check: a join opens a room here only if this node
//     owns it or may claim it; a join for a room another live node owns names that node, and
//     the Hub bridges the socket there (transport/BridgeClient);
//   - HubListener around the usage recorder: peers per room, so an emptied room is released;
//   - ClusterNode::Listener: a room another live node owns is closed here (after Redis came
//     back), through the HubGateway.
// Every call is thread-safe or posts where it must.
#include <memory>

#include "api/RoomPlacer.hpp"
#include "cluster/ClusterNode.hpp"
#include "hub/HubListener.hpp"
#include "hub/JoinAuthorizer.hpp"

namespace aerie {

class HubGateway;

class ClusterBinding final : public RoomPlacer,
                             public JoinAuthorizer,
                             public HubListener,
                             public ClusterNode::Listener {
 public:
  // `inner` checks credentials; `recorder` (may be null) hears every peer event first.
  ClusterBinding(JoinAuthorizer& inner, HubListener* recorder) : inner_(inner), recorder_(recorder) {}

  // Once the node and the gateway exist (before the loops serve anything).
  void attach(ClusterNode& node, HubGateway& hubs);

  PlacedRoom place(const std::string& roomKey) override;
  void placeAsync(const std::string& roomKey, std::function<void(PlacedRoom)> done) override;
  JoinGrant authorize(const boost::json::object& joinRoom, std::int64_t nowMs) override;
  void onPeerJoined(const PeerSession& session) override;
  void onPeerLeft(const PeerSession& session) override;
  void onRoomLost(const std::string& roomKey, const NodeAddress& owner) override;

 private:
  JoinAuthorizer& inner_;
  HubListener* recorder_;
  ClusterNode* node_ = nullptr;
  HubGateway* hubs_ = nullptr;
};

}  // namespace aerie
