#include "app/StoreOpener.hpp"

#include "app/Config.hpp"
#include "storage/PgConnection.hpp"
#include "storage/PostgresAppStore.hpp"
#include "storage/SqliteAppStore.hpp"

namespace aerie {

std::unique_ptr<AppStore> StoreOpener::open(const Config& config) {
  if (config.store.empty()) return SqliteAppStore::openInDir(config.dataDir);
  return std::make_unique<PostgresAppStore>(config.store, config.limits.storeConnectTimeoutMs);
}

std::string StoreOpener::describe(const Config& config) {
  return config.store.empty() ? "--data " + config.dataDir
                              : "--store " + PgConnection::redact(config.store);
}

}  // namespace aerie
