#pragma once
// AppStore over one SQLite file. Thread-safe: every call takes the store's mutex, so the
// connection is used by one thread at a time (SQLite's own mutex is switched off).
#include <memory>
#include <mutex>
#include <string>

#include "storage/AppStore.hpp"

struct sqlite3;

namespace aerie {

class SqliteAppStore final : public AppStore {
 public:
  // Opens (creating if needed) the database at `path` and applies pending migrations.
  // Throws std::runtime_error if the file cannot be opened, is not an SQLite database,
  // is corrupt, or was written by a newer Aerie (schema version above ours).
  explicit SqliteAppStore(const std::string& path);
  ~SqliteAppStore() override;
  SqliteAppStore(const SqliteAppStore&) = delete;
  SqliteAppStore& operator=(const SqliteAppStore&) = delete;

  // Creates `dataDir` (and parents) if missing and opens `<dataDir>/aerie.sqlite3`.
  static std::unique_ptr<SqliteAppStore> openInDir(const std::string& dataDir);

  // Throws std::invalid_argument if `parentKey` names no key, or names an alias key: an
  // alias belongs to one realm, and a chain would let a revoked middle key keep its children.
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

  // Version of the schema after migrations: the number of migrations applied.
  int schemaVersion();
  // Highest version this build knows.
  static int latestSchemaVersion();

 private:
  void migrate();
  std::optional<App> findByKeyLocked(const std::string& appKey);

  std::mutex mutex_;
  sqlite3* db_ = nullptr;
  std::string path_;
};

}  // namespace aerie
