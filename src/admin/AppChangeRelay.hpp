#pragma once
// What a node does when the shared store announces a change to an app key (PgAppChanges):
// forget the key in the cache, and for a revocation remove the key's peers from this node's
// rooms exactly as a revocation through this node's admin API does (AdminApi::revokeApp).
// Called on the store's listening thread: the cache is thread-safe, and the Hubs are reached
// through the HubGateway, which posts to their loops.
#include <cstddef>
#include <functional>
#include <optional>
#include <string>

#include "storage/PgAppChanges.hpp"

namespace aerie {

class CachingAppStore;
class HubGateway;

class AppChangeRelay final : public PgAppChanges::Listener {
 public:
  AppChangeRelay(CachingAppStore& cache, HubGateway& hubs) : cache_(cache), hubs_(hubs) {}

  void onAppChanged(const std::string& appKey, bool revoked) override;
  void onAllChanged() override;

  // Removes the peers that joined with `appKey` (or, for a primary key, anywhere in its realm)
  // from every shard's rooms; `done` gets how many, nullopt if a shard failed.
  static void kickApp(HubGateway& hubs, const std::string& appKey,
                      std::function<void(std::optional<std::size_t>)> done);

 private:
  CachingAppStore& cache_;
  HubGateway& hubs_;
};

}  // namespace aerie
