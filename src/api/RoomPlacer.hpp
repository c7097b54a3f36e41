#pragma once
// Where a room's peers must connect, in cluster mode: the node that owns the room (app layer:
// ClusterBinding over cluster/ClusterNode). Without a placer the API reply names this server.
#include <cstdint>
#include <functional>
#include <string>

namespace aerie {

struct PlacedRoom {
  bool ok = false;
  std::string host;        // the owner's public host
  std::uint16_t port = 0;  // and port (HTTP and HTTPS alike: one port serves both)
  std::string error;       // when !ok: why, shown to the user (never a secret)
};

class RoomPlacer {
 public:
  virtual ~RoomPlacer() = default;
  // May wait for one round trip to the cluster registry; thread-safe.
  virtual PlacedRoom place(const std::string& roomKey) = 0;
  // The same without waiting: `done` runs once, on this thread or the registry's (after its
  // round trip, or its timeout when the registry hangs). Thread-safe.
  virtual void placeAsync(const std::string& roomKey, std::function<void(PlacedRoom)> done) = 0;
};

}  // namespace aerie
