#pragma once
#include <memory>
#include <string>

namespace aerie {

// The signaling layer's view of one client connection. Implemented by the transport;
// thread-safe: calls may come from any thread, the transport posts to the connection's loop.
class PeerSink {
 public:
  virtual ~PeerSink() = default;
  // `packet` is a complete Engine.IO message packet (`42["message","..."]`), shared so that a
  // broadcast is encoded once for all receivers.
  virtual void send(std::shared_ptr<const std::string> packet) = 0;
  // Flush what is queued, then close the connection.
  virtual void close() = 0;
  // The connection now belongs to Hub shard `shard` (its room lives there): what it receives
  // from now on goes to that shard, and the transport may move the socket to that shard's loop.
  // Called on the old shard's thread right after the Hub handed the peer over.
  virtual void rehome(unsigned shard) { (void)shard; }
};

}  // namespace aerie
