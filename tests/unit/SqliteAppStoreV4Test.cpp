// Schema version 4 of the app store: an app's autoSfuPeers (the switch point of its auto rooms).
// Upgrade of a version-3 file in place, create, update, and a damaged value.
#include <gtest/gtest.h>
#include <sqlite3.h>

#include <filesystem>

#include "core/Crypto.hpp"
#include "storage/SqliteAppStore.hpp"

namespace aerie {
namespace {

namespace fs = std::filesystem;

// Schema version 3 exactly as migrations 1 to 3 wrote it, with an auto app and an alias of it.
constexpr const char* kVersion3File = R"sql(
  CREATE TABLE schema_version (version INTEGER NOT NULL);
  INSERT INTO schema_version VALUES (3);
  CREATE TABLE apps (
    id                 INTEGER PRIMARY KEY,
    app_key            TEXT NOT NULL UNIQUE,
    name               TEXT NOT NULL,
    owner              TEXT NOT NULL,
    secret             TEXT NOT NULL,
    domains            TEXT NOT NULL,
    parent_key         TEXT,
    revoked            INTEGER NOT NULL DEFAULT 0,
    created_at_ms      INTEGER NOT NULL,
    expires_at_ms      INTEGER,
    max_peers_per_room INTEGER NOT NULL DEFAULT 0,
    turn_enabled       INTEGER NOT NULL DEFAULT 1
  );
  CREATE INDEX apps_parent_key ON apps(parent_key);
  CREATE TABLE settings (name TEXT PRIMARY KEY, value TEXT NOT NULL);
  ALTER TABLE apps ADD COLUMN persistent_rooms INTEGER NOT NULL DEFAULT 0;
  CREATE TABLE sessions (
    id           INTEGER PRIMARY KEY,
    app_key      TEXT NOT NULL,
    realm        TEXT NOT NULL,
    room_name    TEXT NOT NULL,
    sid          TEXT NOT NULL,
    joined_at_ms INTEGER NOT NULL,
    left_at_ms   INTEGER NOT NULL
  );
  CREATE INDEX sessions_realm ON sessions(realm, joined_at_ms);
  CREATE INDEX sessions_app_key ON sessions(app_key, joined_at_ms);
  ALTER TABLE apps ADD COLUMN media_mode TEXT NOT NULL DEFAULT 'mesh';
  INSERT INTO apps (app_key, name, owner, secret, domains, created_at_ms, max_peers_per_room,
                    turn_enabled, persistent_rooms, media_mode)
    VALUES ('v3-key', 'v3 app', 'v3 owner', 'v3-secret', '["v3.example"]', 42, 5, 0, 1, 'auto');
  INSERT INTO apps (app_key, name, owner, secret, domains, parent_key, created_at_ms)
    VALUES ('v3-alias', 'v3 alias', 'v3 owner', 'alias-secret', '["a.example"]', 'v3-key', 43);
)sql";

class SqliteAppStoreV4Test : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = fs::temp_directory_path() / ("aerie-store-v4-" + crypto::randomToken(8));
    fs::create_directories(dir_);
  }
  void TearDown() override { fs::remove_all(dir_); }
  std::string dbPath() const { return (dir_ / "aerie.sqlite3").string(); }

  void rawExec(const std::string& sql) {
    sqlite3* db = nullptr;
    ASSERT_EQ(sqlite3_open(dbPath().c_str(), &db), SQLITE_OK);
    ASSERT_EQ(sqlite3_exec(db, sql.c_str(), nullptr, nullptr, nullptr), SQLITE_OK)
        << sqlite3_errmsg(db);
    sqlite3_close(db);
  }

  static NewApp primary() {
    NewApp n;
    n.name = "demo";
    n.owner = "owner";
    n.domains = {"example.com"};
    n.mediaMode = MediaMode::Auto;
    return n;
  }

  fs::path dir_;
};

TEST_F(SqliteAppStoreV4Test, LatestVersionIsFour) {
  EXPECT_EQ(SqliteAppStore::latestSchemaVersion(), 4);
}

TEST_F(SqliteAppStoreV4Test, UpgradesAVersion3FileInPlaceWithTheServerDefault) {
  rawExec(kVersion3File);
  {
    SqliteAppStore store(dbPath());
    EXPECT_EQ(store.schemaVersion(), 4);
    const auto old = store.findByKey("v3-key");
    ASSERT_TRUE(old);
    EXPECT_EQ(old->autoSfuPeers, 0u);
    EXPECT_EQ(old->mediaMode, MediaMode::Auto);
    EXPECT_EQ(old->maxPeersPerRoom, 5u);
    EXPECT_EQ(old->secret, "v3-secret");
    EXPECT_EQ(store.findByKey("v3-alias")->autoSfuPeers, 0u);
    const auto changed = store.update("v3-key", AppUpdate{.autoSfuPeers = 3u});
    ASSERT_TRUE(changed);
    EXPECT_EQ(changed->autoSfuPeers, 3u);
    EXPECT_EQ(changed->mediaMode, MediaMode::Auto);
  }
  SqliteAppStore again(dbPath());
  EXPECT_EQ(again.schemaVersion(), 4);
  EXPECT_EQ(again.findByKey("v3-key")->autoSfuPeers, 3u);
}

TEST_F(SqliteAppStoreV4Test, CreateAndUpdateStoreTheSwitchPoint) {
  SqliteAppStore store(dbPath());
  EXPECT_EQ(store.create(primary(), 1).autoSfuPeers, 0u);
  NewApp n = primary();
  n.autoSfuPeers = 6;
  const App a = store.create(n, 1);
  EXPECT_EQ(a.autoSfuPeers, 6u);
  EXPECT_EQ(store.findByKey(a.appKey)->autoSfuPeers, 6u);

  AppUpdate rename;
  rename.name = "renamed";
  EXPECT_EQ(store.update(a.appKey, rename)->autoSfuPeers, 6u);
  AppUpdate change;
  change.autoSfuPeers = 0u;  // back to the server's
  EXPECT_FALSE(change.empty());
  EXPECT_EQ(store.update(a.appKey, change)->autoSfuPeers, 0u);
  EXPECT_EQ(store.findByKey(a.appKey)->autoSfuPeers, 0u);
  EXPECT_EQ(store.findByKey(a.appKey)->name, "renamed");
}

TEST_F(SqliteAppStoreV4Test, ADamagedValueReadsAsTheServerDefault) {
  std::string key;
  {
    NewApp n = primary();
    n.autoSfuPeers = 3;
    SqliteAppStore store(dbPath());
    key = store.create(n, 1).appKey;
  }
  rawExec("UPDATE apps SET auto_sfu_peers = -2");
  {
    SqliteAppStore store(dbPath());
    EXPECT_EQ(store.findByKey(key)->autoSfuPeers, 0u);
  }
  rawExec("UPDATE apps SET auto_sfu_peers = 99999999999");
  SqliteAppStore store(dbPath());
  EXPECT_EQ(store.findByKey(key)->autoSfuPeers, 0u);
}

}  // namespace
}  // namespace aerie
