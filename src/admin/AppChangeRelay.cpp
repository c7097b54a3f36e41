#include "admin/AppChangeRelay.hpp"

#include "core/Log.hpp"
#include "hub/Hub.hpp"
#include "storage/CachingAppStore.hpp"
#include "transport/HubGateway.hpp"

namespace aerie {

void AppChangeRelay::kickApp(HubGateway& hubs, const std::string& appKey,
                             std::function<void(std::optional<std::size_t>)> done) {
  hubs.gather<std::size_t>(
      [appKey](Hub& h) { return h.kickApp(appKey); },
      [done = std::move(done)](std::vector<std::optional<std::size_t>> perShard) {
        std::size_t kicked = 0;
        for (const auto& n : perShard) {
          if (!n) return done(std::nullopt);
          kicked += *n;
        }
        done(kicked);
      });
}

void AppChangeRelay::onAppChanged(const std::string& appKey, bool revoked) {
  cache_.invalidate(appKey);
  if (!revoked) return;
  kickApp(hubs_, appKey, [appKey](std::optional<std::size_t> kicked) {
    // A revocation made through this node was logged, and its peers removed, already.
    if (kicked && *kicked == 0) return;
    log::info("admin", "app revoked (store notification)",
              {{"appKey", appKey}, {"peersRemoved", kicked ? std::to_string(*kicked) : "?"}});
  });
}

void AppChangeRelay::onAllChanged() {
  cache_.invalidateAll();
}

}  // namespace aerie
