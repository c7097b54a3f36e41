#pragma once
// AppStore in a PostgreSQL database shared by several nodes (`--store postgresql://...`),
// with the semantics of SqliteAppStore. Thread-safe: every call takes the store's mutex and
// uses its one connection.
//
// Every write to `apps` sends a notification on kChangeChannel in its own transaction, so it
// reaches the other nodes (PgAppChanges) exactly when it is visible: payload "revoked KEY" for
// a revocation, "changed KEY" for anything else.
//
// A connection the server closed while it was idle is noticed before the next call and made
// again. A connection that breaks during a call fails that call (PgError); a read, or a write
// whose BEGIN failed, is then tried once more on a new connection; a write that broke later is
// not (whether it committed is unknown).
#include <cstdint>
#include <memory>
#include <mutex>
#include <string>
#include <string_view>

#include "storage/AppStore.hpp"

namespace aerie {

class PgConnection;

class PostgresAppStore final : public AppStore {
 public:
  static constexpr std::string_view kChangeChannel = "aerie_apps";

  // Connects and applies pending migrations. Throws PgError if the server cannot be reached
  // (naming the URL without its password), std::runtime_error if the schema is newer than
  // this Aerie knows.
  PostgresAppStore(const std::string& url, std::uint32_t connectTimeoutMs);
  ~PostgresAppStore() override;
  PostgresAppStore(const PostgresAppStore&) = delete;
  PostgresAppStore& operator=(const PostgresAppStore&) = delete;

  // True for the URLs this store takes (postgresql://, postgres://).
  static bool accepts(std::string_view url);

  App create(const NewApp& app, std::int64_t nowMs) override;
  std::optional<App> findByKey(const std::string& appKey) override;
  std::vector<App> list() override;
  bool revoke(const std::string& appKey) override;
  bool setDomains(const std::string& appKey, const std::vector<std::string>& domains) override;
  std::vector<App> listAliases(const std::string& parentKey) override;
  std::optional<App> update(const std::string& appKey, const AppUpdate& change) override;
  std::optional<std::string> rotateSecret(const std::string& appKey) override;
  std::optional<std::string> setting(const std::string& name) override;
  void setSetting(const std::string& name, const std::string& value) override;
  std::string settingOrInsert(const std::string& name, const std::string& value) override;
  void recordSession(const SessionRecord& session) override;
  void recordSessions(const std::vector<SessionRecord>& sessions) override;  // one transaction
  UsageReport usage(const std::string& appKey, std::int64_t fromMs, std::int64_t toMs) override;

  int schemaVersion();
  static int latestSchemaVersion();
  const std::string& displayUrl() const;

 private:
  enum class Retry { Once, Never };
  template <class F>
  auto run(Retry retry, F&& f);
  void migrate();
  std::optional<App> findByKeyLocked(const std::string& appKey, bool forUpdate = false);
  void notify(std::string_view what, const std::string& appKey);

  std::mutex mutex_;
  std::unique_ptr<PgConnection> conn_;
};

}  // namespace aerie
