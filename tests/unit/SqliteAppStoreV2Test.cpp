// Schema version 2 of the app store: upgrade of a version-1 file in place, update,
// rotateSecret, listAliases and usage records.
#include <gtest/gtest.h>
#include <sqlite3.h>

#include <filesystem>

#include "core/Crypto.hpp"
#include "storage/SqliteAppStore.hpp"

namespace aerie {
namespace {

namespace fs = std::filesystem;

constexpr std::int64_t kMinute = 60'000;

// Schema version 1 exactly as the first release wrote it (migration 1 of SqliteAppStore.cpp),
// with one app and one setting in it.
constexpr const char* kVersion1File = R"sql(
  CREATE TABLE schema_version (version INTEGER NOT NULL);
  INSERT INTO schema_version VALUES (1);
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
  INSERT INTO apps (app_key, name, owner, secret, domains, created_at_ms, max_peers_per_room,
                    turn_enabled)
    VALUES ('old-key', 'old app', 'old owner', 'old-secret', '["old.example"]', 42, 7, 0);
  INSERT INTO settings VALUES ('token_signing_secret', 'abc');
)sql";

class SqliteAppStoreV2Test : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = fs::temp_directory_path() / ("aerie-store-v2-" + crypto::randomToken(8));
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

  static NewApp primary(std::string name = "demo") {
    NewApp n;
    n.name = std::move(name);
    n.owner = "owner";
    n.domains = {"example.com"};
    return n;
  }
  static NewApp aliasOf(const App& parent) {
    NewApp n = primary("alias");
    n.parentKey = parent.appKey;
    n.domains = {"partner.example"};
    return n;
  }
  static SessionRecord session(const App& key, const std::string& realm, std::string room,
                               std::int64_t joined, std::int64_t left) {
    return SessionRecord{key.appKey, realm, std::move(room), crypto::randomToken(8), joined, left};
  }

  fs::path dir_;
};

TEST_F(SqliteAppStoreV2Test, UpgradesAVersion1FileInPlaceKeepingItsData) {
  rawExec(kVersion1File);
  {
    SqliteAppStore store(dbPath());
    EXPECT_EQ(store.schemaVersion(), SqliteAppStore::latestSchemaVersion());
    const auto old = store.findByKey("old-key");
    ASSERT_TRUE(old);
    EXPECT_EQ(old->name, "old app");
    EXPECT_EQ(old->secret, "old-secret");
    EXPECT_EQ(old->domains, std::vector<std::string>{"old.example"});
    EXPECT_EQ(old->maxPeersPerRoom, 7u);
    EXPECT_FALSE(old->turnEnabled);
    EXPECT_FALSE(old->persistentRooms);  // the new column's default
    EXPECT_EQ(old->mediaMode, MediaMode::Mesh);  // and migration 3's
    EXPECT_EQ(store.setting("token_signing_secret"), "abc");
    // The new table works on the upgraded file.
    store.recordSession({"old-key", "old-key", "r", "s1", 0, kMinute});
    EXPECT_EQ(store.usage("old-key", 0, 10 * kMinute).totals.sessions, 1u);
    const auto changed = store.update("old-key", AppUpdate{.persistentRooms = true});
    ASSERT_TRUE(changed);
    EXPECT_TRUE(changed->persistentRooms);
  }
  // Opening again applies nothing twice.
  SqliteAppStore again(dbPath());
  EXPECT_EQ(again.schemaVersion(), SqliteAppStore::latestSchemaVersion());
  EXPECT_TRUE(again.findByKey("old-key")->persistentRooms);
  EXPECT_EQ(again.usage("old-key", 0, 10 * kMinute).totals.sessions, 1u);
}

TEST_F(SqliteAppStoreV2Test, AFailedUpgradeLeavesTheVersion1FileUntouched) {
  rawExec(kVersion1File);
  // A table in the way of migration 2 makes it fail half-way: it must roll back whole.
  rawExec("CREATE TABLE sessions (x INTEGER)");
  EXPECT_THROW(SqliteAppStore{dbPath()}, std::runtime_error);
  rawExec("DROP TABLE sessions");
  SqliteAppStore store(dbPath());
  EXPECT_EQ(store.schemaVersion(), SqliteAppStore::latestSchemaVersion());
  EXPECT_TRUE(store.findByKey("old-key"));
}

TEST_F(SqliteAppStoreV2Test, CreateStoresTheNewFlags) {
  SqliteAppStore store(dbPath());
  NewApp n = primary();
  n.turnEnabled = false;
  n.persistentRooms = true;
  const App a = store.create(n, 5);
  const auto found = store.findByKey(a.appKey);
  EXPECT_FALSE(found->turnEnabled);
  EXPECT_TRUE(found->persistentRooms);
}

TEST_F(SqliteAppStoreV2Test, UpdateChangesOnlyTheGivenFields) {
  SqliteAppStore store(dbPath());
  NewApp n = primary();
  n.expiresAtMs = 1000;
  const App a = store.create(n, 5);

  AppUpdate change;
  change.name = "renamed";
  change.maxPeersPerRoom = 3;
  auto after = store.update(a.appKey, change);
  ASSERT_TRUE(after);
  EXPECT_EQ(after->name, "renamed");
  EXPECT_EQ(after->maxPeersPerRoom, 3u);
  EXPECT_EQ(after->domains, a.domains);
  EXPECT_EQ(after->expiresAtMs, 1000);
  EXPECT_EQ(after->secret, a.secret);
  EXPECT_TRUE(after->turnEnabled);

  AppUpdate more;
  more.domains = std::vector<std::string>{"a.example", "*.b.example"};
  more.turnEnabled = false;
  more.expiresAtMs = std::optional<std::int64_t>{};  // never expires
  after = store.update(a.appKey, more);
  ASSERT_TRUE(after);
  EXPECT_EQ(after->name, "renamed");
  EXPECT_EQ(after->domains, (std::vector<std::string>{"a.example", "*.b.example"}));
  EXPECT_FALSE(after->turnEnabled);
  EXPECT_FALSE(after->expiresAtMs);
  // What update returns is what is stored.
  const auto stored = store.findByKey(a.appKey);
  EXPECT_EQ(stored->domains, after->domains);
  EXPECT_FALSE(stored->expiresAtMs);
  EXPECT_FALSE(stored->turnEnabled);

  EXPECT_FALSE(store.update("no-such-key", change));
}

TEST_F(SqliteAppStoreV2Test, RotateSecretReplacesItAndOnlyIt) {
  SqliteAppStore store(dbPath());
  const App a = store.create(primary(), 5);
  const App b = store.create(primary("other"), 5);
  const auto secret = store.rotateSecret(a.appKey);
  ASSERT_TRUE(secret);
  EXPECT_NE(*secret, a.secret);
  EXPECT_EQ(secret->size(), a.secret.size());
  EXPECT_EQ(store.findByKey(a.appKey)->secret, *secret);
  EXPECT_EQ(store.findByKey(b.appKey)->secret, b.secret);
  EXPECT_FALSE(store.rotateSecret("no-such-key"));
}

TEST_F(SqliteAppStoreV2Test, ListAliasesOfAParent) {
  SqliteAppStore store(dbPath());
  const App p = store.create(primary(), 5);
  const App other = store.create(primary("other"), 5);
  const App a1 = store.create(aliasOf(p), 6);
  const App a2 = store.create(aliasOf(p), 7);
  store.create(aliasOf(other), 8);
  const auto aliases = store.listAliases(p.appKey);
  ASSERT_EQ(aliases.size(), 2u);
  EXPECT_EQ(aliases[0].appKey, a1.appKey);
  EXPECT_EQ(aliases[1].appKey, a2.appKey);
  EXPECT_TRUE(store.listAliases(a1.appKey).empty());
  EXPECT_TRUE(store.listAliases("nobody").empty());
}

TEST_F(SqliteAppStoreV2Test, UsageCountsSessionsAndPeerMinutesPerRoom) {
  SqliteAppStore store(dbPath());
  const App p = store.create(primary(), 0);
  store.recordSession(session(p, p.appKey, "lobby", 0, 10 * kMinute));
  store.recordSession(session(p, p.appKey, "lobby", 5 * kMinute, 8 * kMinute));
  store.recordSession(session(p, p.appKey, "side", 0, 2 * kMinute));

  const UsageReport u = store.usage(p.appKey, 0, 60 * kMinute);
  EXPECT_EQ(u.fromMs, 0);
  EXPECT_EQ(u.toMs, 60 * kMinute);
  EXPECT_EQ(u.totals.sessions, 3u);
  EXPECT_EQ(u.totals.peerMs, 15 * kMinute);
  ASSERT_EQ(u.rooms.size(), 2u);
  EXPECT_EQ(u.rooms[0].roomName, "lobby");  // largest first
  EXPECT_EQ(u.rooms[0].totals.sessions, 2u);
  EXPECT_EQ(u.rooms[0].totals.peerMs, 13 * kMinute);
  EXPECT_EQ(u.rooms[1].roomName, "side");
  ASSERT_EQ(u.keys.size(), 1u);
  EXPECT_EQ(u.keys[0].appKey, p.appKey);
}

TEST_F(SqliteAppStoreV2Test, UsageClipsSessionsToTheWindow) {
  SqliteAppStore store(dbPath());
  const App p = store.create(primary(), 0);
  store.recordSession(session(p, p.appKey, "r", 0, 10 * kMinute));
  // Window [4, 6): the session counts once, for 2 minutes.
  auto u = store.usage(p.appKey, 4 * kMinute, 6 * kMinute);
  EXPECT_EQ(u.totals.sessions, 1u);
  EXPECT_EQ(u.totals.peerMs, 2 * kMinute);
  // Touching the window's edges is not overlapping it: [10, 20) and [-5, 0).
  EXPECT_EQ(store.usage(p.appKey, 10 * kMinute, 20 * kMinute).totals.sessions, 0u);
  EXPECT_EQ(store.usage(p.appKey, -5 * kMinute, 0).totals.sessions, 0u);
  // An empty or inverted window is empty.
  EXPECT_EQ(store.usage(p.appKey, 5 * kMinute, 5 * kMinute).totals.sessions, 0u);
  EXPECT_EQ(store.usage(p.appKey, 6 * kMinute, 5 * kMinute).totals.sessions, 0u);
}

TEST_F(SqliteAppStoreV2Test, PrimaryKeyUsageCoversItsAliasesAndAnAliasOnlyItself) {
  SqliteAppStore store(dbPath());
  const App p = store.create(primary(), 0);
  const App a = store.create(aliasOf(p), 0);
  const App other = store.create(primary("other"), 0);
  store.recordSession(session(p, p.appKey, "r", 0, kMinute));
  store.recordSession(session(a, p.appKey, "r", 0, 2 * kMinute));
  store.recordSession(session(a, p.appKey, "r", 0, 2 * kMinute));
  store.recordSession(session(other, other.appKey, "r", 0, 5 * kMinute));

  const auto realm = store.usage(p.appKey, 0, kMinute * 60);
  EXPECT_EQ(realm.totals.sessions, 3u);
  EXPECT_EQ(realm.totals.peerMs, 5 * kMinute);
  ASSERT_EQ(realm.keys.size(), 2u);
  EXPECT_EQ(realm.keys[0].appKey, a.appKey);  // 4 minutes
  EXPECT_EQ(realm.keys[0].totals.sessions, 2u);
  EXPECT_EQ(realm.keys[1].appKey, p.appKey);

  const auto alias = store.usage(a.appKey, 0, kMinute * 60);
  EXPECT_EQ(alias.totals.sessions, 2u);
  EXPECT_EQ(alias.totals.peerMs, 4 * kMinute);

  EXPECT_EQ(store.usage(other.appKey, 0, kMinute * 60).totals.sessions, 1u);
  EXPECT_EQ(store.usage("nobody", 0, kMinute * 60).totals.sessions, 0u);
}

TEST_F(SqliteAppStoreV2Test, ASessionEndingBeforeItStartsCountsAsZeroLength) {
  SqliteAppStore store(dbPath());
  const App p = store.create(primary(), 0);
  store.recordSession(session(p, p.appKey, "r", 5 * kMinute, 4 * kMinute));
  const auto u = store.usage(p.appKey, 0, 60 * kMinute);
  // Stored with left = joined (a clock step back): a session, but no time.
  EXPECT_EQ(u.totals.sessions, 1u);
  EXPECT_EQ(u.totals.peerMs, 0);
}

TEST_F(SqliteAppStoreV2Test, UsageRecordsSurviveReopen) {
  std::string key;
  {
    SqliteAppStore store(dbPath());
    const App p = store.create(primary(), 0);
    key = p.appKey;
    store.recordSession(session(p, p.appKey, "r", 0, 3 * kMinute));
  }
  SqliteAppStore again(dbPath());
  EXPECT_EQ(again.usage(key, 0, 60 * kMinute).totals.peerMs, 3 * kMinute);
}

}  // namespace
}  // namespace aerie
