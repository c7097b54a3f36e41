#pragma once
// Cluster mode: a peer whose joinRoom reached a node that does not own the room is bridged to
// the owner (docs/cluster.md, "Bridging"). This node keeps the client's socket; the owner's Hub
// holds the member. The transport implements both interfaces (Asio stays there): the bridge is
// a socket.io connection to the owner on which the client's messages go out unchanged and the
// owner's packets come back and are written to the client's sink as they are.
#include <cstdint>
#include <memory>
#include <string>
#include <string_view>

#include "hub/PeerSink.hpp"

namespace aerie {

// Where a bridged join goes.
struct BridgeTarget {
  std::string host;        // the owner's address as the registry gives it
  std::uint16_t port = 0;
  std::string roomKey;     // joinRoom.rid, for the `toclose` sent if the owner goes away
};

// One bridged client, as its Hub holds it. Destroying the handle closes the bridge (the owner
// then hears the socket close and sends `bye` once, as for any member).
class PeerBridge {
 public:
  virtual ~PeerBridge() = default;
  // The inner JSON of a client's `message` event, in the order received; sent to the owner as
  // a `message` event. Called on the Hub's thread.
  virtual void send(std::string_view json) = 0;
};

class BridgeOpener {
 public:
  virtual ~BridgeOpener() = default;
  // Opens a bridge for `sink` on the calling loop; what the owner sends goes to `sink`. When
  // the owner closes the bridge, `sink` is closed; when it drops without closing (the owner
  // died), `sink` hears `redirect warning toclose` first, so the client rejoins through the
  // API. Null if no bridge can be opened now (the join is then refused as before bridging).
  virtual std::unique_ptr<PeerBridge> open(const BridgeTarget& target,
                                           std::shared_ptr<PeerSink> sink) = 0;
};

}  // namespace aerie
