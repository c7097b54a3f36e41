// The AppStore semantics both stores must share, run against SqliteAppStore and
// PostgresAppStore alike (the latter on the tests' PostgreSQL, TestPostgres.hpp).
#include <gtest/gtest.h>

#include <filesystem>
#include <functional>
#include <memory>

#include "core/Crypto.hpp"
#include "storage/PostgresAppStore.hpp"
#include "storage/SqliteAppStore.hpp"
#include "TestPostgres.hpp"

namespace aerie {
namespace {

namespace fs = std::filesystem;
constexpr std::int64_t kMinute = 60 * 1000;

// Opens a store on one fresh database each time it is made; open() again opens the same one.
struct Engine {
  const char* name;
  std::function<std::string()> freshLocation;
  std::function<std::unique_ptr<AppStore>(const std::string&)> open;
};

const Engine kSqlite{
    "sqlite",
    [] { return (fs::temp_directory_path() / ("aerie-contract-" + crypto::randomToken(8))).string(); },
    [](const std::string& dir) -> std::unique_ptr<AppStore> { return SqliteAppStore::openInDir(dir); }};

const Engine kPostgres{
    "postgres", [] { return test::TestPostgres::instance().newDatabase(); },
    [](const std::string& url) -> std::unique_ptr<AppStore> {
      return std::make_unique<PostgresAppStore>(url, 5000);
    }};

class AppStoreContract : public ::testing::TestWithParam<const Engine*> {
 protected:
  void SetUp() override {
    if (GetParam() == &kPostgres) AERIE_REQUIRE_POSTGRES();
    location_ = GetParam()->freshLocation();
    store_ = GetParam()->open(location_);
  }
  void TearDown() override {
    store_.reset();
    if (GetParam() == &kSqlite) fs::remove_all(location_);
  }
  std::unique_ptr<AppStore> reopen() { return GetParam()->open(location_); }

  static NewApp app(std::string name) {
    NewApp n;
    n.name = std::move(name);
    n.owner = "owner@example.com";
    n.domains = {"example.com", "*.example.org"};
    return n;
  }
  static SessionRecord session(const App& key, const std::string& realm, std::string room,
                               std::int64_t from, std::int64_t to) {
    return {key.appKey, realm, std::move(room), crypto::randomToken(8), from, to};
  }

  std::string location_;
  std::unique_ptr<AppStore> store_;
};

TEST_P(AppStoreContract, CreateAndFindKeepEveryField) {
  NewApp n = app("demo");
  n.expiresAtMs = 99999;
  n.maxPeersPerRoom = 7;
  n.turnEnabled = false;
  n.persistentRooms = true;
  n.mediaMode = MediaMode::Sfu;
  const App a = store_->create(n, 1234);
  EXPECT_GT(a.id, 0);
  EXPECT_EQ(a.secret.size(), 32u);
  const auto f = store_->findByKey(a.appKey);
  ASSERT_TRUE(f);
  EXPECT_EQ(f->id, a.id);
  EXPECT_EQ(f->name, "demo");
  EXPECT_EQ(f->owner, "owner@example.com");
  EXPECT_EQ(f->secret, a.secret);
  EXPECT_EQ(f->domains, (std::vector<std::string>{"example.com", "*.example.org"}));
  EXPECT_FALSE(f->parentKey);
  EXPECT_FALSE(f->revoked);
  EXPECT_EQ(f->createdAtMs, 1234);
  EXPECT_EQ(f->expiresAtMs, std::optional<std::int64_t>(99999));
  EXPECT_EQ(f->maxPeersPerRoom, 7u);
  EXPECT_FALSE(f->turnEnabled);
  EXPECT_TRUE(f->persistentRooms);
  EXPECT_EQ(f->mediaMode, MediaMode::Sfu);
  EXPECT_FALSE(store_->findByKey("no-such-key"));
  // Still there for the next process.
  EXPECT_EQ(reopen()->findByKey(a.appKey)->secret, a.secret);
}

TEST_P(AppStoreContract, AliasKeysBelongToOnePrimaryKey) {
  const App parent = store_->create(app("parent"), 0);
  NewApp n = app("alias");
  n.parentKey = parent.appKey;
  const App alias = store_->create(n, 0);
  EXPECT_EQ(store_->findByKey(alias.appKey)->parentKey, parent.appKey);
  const auto aliases = store_->listAliases(parent.appKey);
  ASSERT_EQ(aliases.size(), 1u);
  EXPECT_EQ(aliases[0].appKey, alias.appKey);
  EXPECT_TRUE(store_->listAliases(alias.appKey).empty());

  NewApp orphan = app("orphan");
  orphan.parentKey = "missing";
  EXPECT_THROW(store_->create(orphan, 0), std::invalid_argument);
  NewApp chained = app("chained");
  chained.parentKey = alias.appKey;
  EXPECT_THROW(store_->create(chained, 0), std::invalid_argument);
  EXPECT_EQ(store_->list().size(), 2u);  // the refused ones left nothing behind
}

TEST_P(AppStoreContract, ListRevokeSetDomains) {
  const App a = store_->create(app("a"), 0);
  const App b = store_->create(app("b"), 0);
  const auto all = store_->list();
  ASSERT_EQ(all.size(), 2u);
  EXPECT_EQ(all[0].appKey, a.appKey);
  EXPECT_EQ(all[1].appKey, b.appKey);

  EXPECT_TRUE(store_->revoke(a.appKey));
  EXPECT_TRUE(store_->findByKey(a.appKey)->revoked);
  EXPECT_FALSE(store_->findByKey(b.appKey)->revoked);
  EXPECT_FALSE(store_->revoke("missing"));

  EXPECT_TRUE(store_->setDomains(b.appKey, {"localhost"}));
  EXPECT_EQ(store_->findByKey(b.appKey)->domains, std::vector<std::string>{"localhost"});
  EXPECT_TRUE(store_->setDomains(b.appKey, {}));
  EXPECT_TRUE(store_->findByKey(b.appKey)->domains.empty());
  EXPECT_FALSE(store_->setDomains("missing", {"x"}));
}

TEST_P(AppStoreContract, UpdateChangesOnlyTheFieldsGivenAndRotateReplacesTheSecret) {
  NewApp n = app("before");
  n.expiresAtMs = 5000;
  const App a = store_->create(n, 0);
  AppUpdate change;
  change.name = "after";
  change.mediaMode = MediaMode::Auto;
  change.expiresAtMs = std::optional<std::int64_t>();  // never expires
  const auto updated = store_->update(a.appKey, change);
  ASSERT_TRUE(updated);
  EXPECT_EQ(updated->name, "after");
  const auto f = store_->findByKey(a.appKey);
  EXPECT_EQ(f->name, "after");
  EXPECT_EQ(f->mediaMode, MediaMode::Auto);
  EXPECT_FALSE(f->expiresAtMs);
  EXPECT_EQ(f->domains, a.domains);
  EXPECT_EQ(f->secret, a.secret);
  EXPECT_FALSE(store_->update("missing", change));

  const auto secret = store_->rotateSecret(a.appKey);
  ASSERT_TRUE(secret);
  EXPECT_NE(*secret, a.secret);
  EXPECT_EQ(store_->findByKey(a.appKey)->secret, *secret);
  EXPECT_FALSE(store_->rotateSecret("missing"));
}

TEST_P(AppStoreContract, SettingsAndTheFirstValueStoredWins) {
  EXPECT_FALSE(store_->setting("token_signing_secret"));
  store_->setSetting("admin_token", "one");
  store_->setSetting("admin_token", "two");
  EXPECT_EQ(store_->setting("admin_token"), "two");
  EXPECT_EQ(store_->settingOrInsert("signing", "first"), "first");
  EXPECT_EQ(store_->settingOrInsert("signing", "second"), "first");
  EXPECT_EQ(reopen()->setting("signing"), "first");
}

TEST_P(AppStoreContract, UsageCountsTheWindowPerRoomAndPerKey) {
  const App p = store_->create(app("realm"), 0);
  NewApp an = app("alias");
  an.parentKey = p.appKey;
  const App a = store_->create(an, 0);
  const App other = store_->create(app("other"), 0);
  store_->recordSessions({session(p, p.appKey, "lobby", 0, 10 * kMinute),
                          session(p, p.appKey, "lobby", 5 * kMinute, 8 * kMinute),
                          session(a, p.appKey, "side", 0, 2 * kMinute),
                          session(other, other.appKey, "lobby", 0, 50 * kMinute)});
  store_->recordSession(session(p, p.appKey, "late", 20 * kMinute, 30 * kMinute));

  const UsageReport realm = store_->usage(p.appKey, 0, 15 * kMinute);
  EXPECT_EQ(realm.totals.sessions, 3u);
  EXPECT_EQ(realm.totals.peerMs, 15 * kMinute);
  ASSERT_EQ(realm.rooms.size(), 2u);
  EXPECT_EQ(realm.rooms[0].roomName, "lobby");
  EXPECT_EQ(realm.rooms[0].totals.peerMs, 13 * kMinute);
  EXPECT_EQ(realm.rooms[1].roomName, "side");
  ASSERT_EQ(realm.keys.size(), 2u);
  EXPECT_EQ(realm.keys[0].appKey, p.appKey);
  EXPECT_EQ(realm.keys[1].appKey, a.appKey);

  const UsageReport alias = store_->usage(a.appKey, 0, 15 * kMinute);
  EXPECT_EQ(alias.totals.sessions, 1u);
  EXPECT_EQ(alias.totals.peerMs, 2 * kMinute);
  // Clipped to the window; empty windows are empty.
  EXPECT_EQ(store_->usage(p.appKey, 4 * kMinute, 6 * kMinute).totals.peerMs, 3 * kMinute);
  EXPECT_EQ(store_->usage(p.appKey, 6 * kMinute, 5 * kMinute).totals.sessions, 0u);
}

TEST_P(AppStoreContract, ABatchOfSessionsLargerThanOneStatement) {
  const App p = store_->create(app("busy"), 0);
  std::vector<SessionRecord> batch;
  for (int i = 0; i < 2500; ++i) batch.push_back(session(p, p.appKey, "r", i, i + 1000));
  store_->recordSessions(batch);
  const UsageReport u = store_->usage(p.appKey, 0, 1'000'000);
  EXPECT_EQ(u.totals.sessions, 2500u);
  EXPECT_EQ(u.totals.peerMs, 2500 * 1000);
}

INSTANTIATE_TEST_SUITE_P(Sqlite, AppStoreContract, ::testing::Values(&kSqlite),
                         [](const auto&) { return std::string("sqlite"); });
INSTANTIATE_TEST_SUITE_P(Postgres, AppStoreContract, ::testing::Values(&kPostgres),
                         [](const auto&) { return std::string("postgres"); });

}  // namespace
}  // namespace aerie
