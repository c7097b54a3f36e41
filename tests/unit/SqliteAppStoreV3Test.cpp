// Schema version 3 of the app store: the media mode. Upgrade of a version-2 file in place,
// create, update, and a damaged value.
#include <gtest/gtest.h>
#include <sqlite3.h>

#include <filesystem>

#include "core/Crypto.hpp"
#include "storage/SqliteAppStore.hpp"

namespace aerie {
namespace {

namespace fs = std::filesystem;

// Schema version 2 exactly as migrations 1 and 2 of SqliteAppStore.cpp wrote it, with an app,
// an alias of it and one session.
constexpr const char* kVersion2File = R"sql(
  CREATE TABLE schema_version (version INTEGER NOT NULL);
  INSERT INTO schema_version VALUES (2);
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
  INSERT INTO apps (app_key, name, owner, secret, domains, created_at_ms, max_peers_per_room,
                    turn_enabled, persistent_rooms)
    VALUES ('v2-key', 'v2 app', 'v2 owner', 'v2-secret', '["v2.example"]', 42, 5, 0, 1);
  INSERT INTO apps (app_key, name, owner, secret, domains, parent_key, created_at_ms)
    VALUES ('v2-alias', 'v2 alias', 'v2 owner', 'alias-secret', '["a.example"]', 'v2-key', 43);
  INSERT INTO sessions (app_key, realm, room_name, sid, joined_at_ms, left_at_ms)
    VALUES ('v2-key', 'v2-key', 'r', 's1', 0, 60000);
)sql";

class SqliteAppStoreV3Test : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = fs::temp_directory_path() / ("aerie-store-v3-" + crypto::randomToken(8));
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
    return n;
  }

  fs::path dir_;
};

TEST_F(SqliteAppStoreV3Test, MediaModeNamesRoundTrip) {
  for (auto m : {MediaMode::Mesh, MediaMode::Sfu, MediaMode::Auto}) {
    EXPECT_EQ(parseMediaMode(toString(m)), m);
  }
  EXPECT_EQ(toString(MediaMode::Sfu), "sfu");
  for (const char* bad : {"", "SFU", "Mesh", "mcu", "sfu ", "auto\n"}) {
    EXPECT_FALSE(parseMediaMode(bad)) << bad;
  }
}

TEST_F(SqliteAppStoreV3Test, UpgradesAVersion2FileInPlaceAsMesh) {
  rawExec(kVersion2File);
  {
    SqliteAppStore store(dbPath());
    EXPECT_EQ(store.schemaVersion(), SqliteAppStore::latestSchemaVersion());
    const auto old = store.findByKey("v2-key");
    ASSERT_TRUE(old);
    EXPECT_EQ(old->mediaMode, MediaMode::Mesh);
    EXPECT_EQ(old->name, "v2 app");
    EXPECT_EQ(old->secret, "v2-secret");
    EXPECT_EQ(old->maxPeersPerRoom, 5u);
    EXPECT_FALSE(old->turnEnabled);
    EXPECT_TRUE(old->persistentRooms);
    EXPECT_EQ(store.findByKey("v2-alias")->mediaMode, MediaMode::Mesh);
    EXPECT_EQ(store.usage("v2-key", 0, 600000).totals.sessions, 1u);
    const auto changed = store.update("v2-key", AppUpdate{.mediaMode = MediaMode::Sfu});
    ASSERT_TRUE(changed);
    EXPECT_EQ(changed->mediaMode, MediaMode::Sfu);
    EXPECT_TRUE(changed->persistentRooms);
  }
  SqliteAppStore again(dbPath());
  EXPECT_EQ(again.schemaVersion(), SqliteAppStore::latestSchemaVersion());
  EXPECT_EQ(again.findByKey("v2-key")->mediaMode, MediaMode::Sfu);
}

TEST_F(SqliteAppStoreV3Test, AFailedUpgradeLeavesTheVersion2FileUntouched) {
  rawExec(kVersion2File);
  rawExec("ALTER TABLE apps ADD COLUMN media_mode TEXT");  // in the way of migration 3
  EXPECT_THROW(SqliteAppStore{dbPath()}, std::runtime_error);
  sqlite3* db = nullptr;
  ASSERT_EQ(sqlite3_open(dbPath().c_str(), &db), SQLITE_OK);
  sqlite3_stmt* stmt = nullptr;
  ASSERT_EQ(sqlite3_prepare_v2(db, "SELECT version FROM schema_version", -1, &stmt, nullptr),
            SQLITE_OK);
  ASSERT_EQ(sqlite3_step(stmt), SQLITE_ROW);
  EXPECT_EQ(sqlite3_column_int(stmt, 0), 2);
  sqlite3_finalize(stmt);
  sqlite3_close(db);
}

TEST_F(SqliteAppStoreV3Test, CreateAndUpdateStoreTheMode) {
  SqliteAppStore store(dbPath());
  EXPECT_EQ(store.create(primary(), 1).mediaMode, MediaMode::Mesh);
  NewApp n = primary();
  n.mediaMode = MediaMode::Sfu;
  const App a = store.create(n, 1);
  EXPECT_EQ(a.mediaMode, MediaMode::Sfu);
  EXPECT_EQ(store.findByKey(a.appKey)->mediaMode, MediaMode::Sfu);

  // Another field's change leaves the mode alone.
  AppUpdate rename;
  rename.name = "renamed";
  EXPECT_EQ(store.update(a.appKey, rename)->mediaMode, MediaMode::Sfu);
  AppUpdate change;
  change.mediaMode = MediaMode::Auto;
  EXPECT_FALSE(change.empty());
  EXPECT_EQ(store.update(a.appKey, change)->mediaMode, MediaMode::Auto);
  EXPECT_EQ(store.findByKey(a.appKey)->mediaMode, MediaMode::Auto);
  EXPECT_EQ(store.findByKey(a.appKey)->name, "renamed");
}

TEST_F(SqliteAppStoreV3Test, ADamagedModeReadsAsMesh) {
  std::string key;
  {
    NewApp n = primary();
    n.mediaMode = MediaMode::Sfu;
    SqliteAppStore store(dbPath());
    key = store.create(n, 1).appKey;
  }
  rawExec("UPDATE apps SET media_mode = 'warp'");
  SqliteAppStore store(dbPath());
  EXPECT_EQ(store.findByKey(key)->mediaMode, MediaMode::Mesh);
}

}  // namespace
}  // namespace aerie
