#pragma once
// Cluster mode: bridges a client's socket to the node that owns its room (hub/PeerBridge.hpp).
//
// Transport: a plain socket.io connection (Engine.IO 4 over WebSocket) from this node to the
// owner's own signaling port, the one its API replies name. The owner treats it as any client
// of the room: the joinRoom it carries is the client's, with the client's signed credentials,
// so the owner checks them, and applies the lock, the peer limit and the rate limits itself;
// its `bye` goes out once when the bridge closes, as for any socket. So there is no internal
// port, no shared secret and no new wire format (the frames are parsed by the codecs that
// parse every client's), and no Redis work per message: one loopback or LAN hop each way.
//
// Each bridge runs on the loop of the Hub that opens it, the loop of the client's socket, so a
// relayed message crosses no thread on this node. Messages the client sends before the owner
// has answered the handshake wait (within Limits::maxWriteQueueBytes) and go in order.
#include <memory>

#include "core/Limits.hpp"
#include "hub/PeerBridge.hpp"

namespace aerie {

class Server;

class BridgeClient final : public BridgeOpener {
 public:
  // `server`'s loops must run; open() is called on one of them.
  BridgeClient(Server& server, const Limits& limits) : server_(server), limits_(limits) {}

  std::unique_ptr<PeerBridge> open(const BridgeTarget& target,
                                   std::shared_ptr<PeerSink> sink) override;

 private:
  Server& server_;
  const Limits& limits_;
};

}  // namespace aerie
