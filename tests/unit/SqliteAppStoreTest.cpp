#include <gtest/gtest.h>
#include <sqlite3.h>

#include <filesystem>
#include <fstream>
#include <regex>
#include <set>
#include <stdexcept>
#include <thread>

#include "core/Crypto.hpp"
#include "storage/SqliteAppStore.hpp"

namespace aerie {
namespace {

namespace fs = std::filesystem;

class SqliteAppStoreTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = fs::temp_directory_path() / ("aerie-store-" + crypto::randomToken(8));
    fs::create_directories(dir_);
  }
  void TearDown() override { fs::remove_all(dir_); }
  std::string dbPath() const { return (dir_ / "aerie.sqlite3").string(); }

  // Runs raw SQL on the file behind the store's back.
  void rawExec(const std::string& sql) {
    sqlite3* db = nullptr;
    ASSERT_EQ(sqlite3_open(dbPath().c_str(), &db), SQLITE_OK);
    ASSERT_EQ(sqlite3_exec(db, sql.c_str(), nullptr, nullptr, nullptr), SQLITE_OK)
        << sqlite3_errmsg(db);
    sqlite3_close(db);
  }

  NewApp primary(std::string name = "demo") {
    NewApp n;
    n.name = std::move(name);
    n.owner = "owner@example.com";
    n.domains = {"example.com", "*.example.org"};
    return n;
  }

  fs::path dir_;
};

TEST_F(SqliteAppStoreTest, CreateGeneratesKeyAndSecret) {
  SqliteAppStore store(dbPath());
  const App a = store.create(primary(), 1000);
  EXPECT_GT(a.id, 0);
  EXPECT_TRUE(std::regex_match(
      a.appKey, std::regex("[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}")))
      << a.appKey;
  EXPECT_EQ(a.secret.size(), 32u);  // base64url of 24 bytes
  EXPECT_EQ(a.createdAtMs, 1000);
  EXPECT_FALSE(a.revoked);
  EXPECT_TRUE(a.turnEnabled);
  const App b = store.create(primary(), 1000);
  EXPECT_NE(a.appKey, b.appKey);
  EXPECT_NE(a.secret, b.secret);
}

TEST_F(SqliteAppStoreTest, Settings) {
  SqliteAppStore store(dbPath());
  EXPECT_FALSE(store.setting("k"));
  store.setSetting("k", "v1");
  EXPECT_EQ(store.setting("k"), "v1");
  store.setSetting("k", "v2");
  EXPECT_EQ(store.setting("k"), "v2");
  store.setSetting("empty", "");
  EXPECT_EQ(store.setting("empty"), "");
}

TEST_F(SqliteAppStoreTest, PersistsAcrossReopen) {
  std::string key;
  {
    SqliteAppStore store(dbPath());
    key = store.create(primary(), 5).appKey;
    store.revoke(key);
    store.setSetting("token", "abc");
  }
  SqliteAppStore again(dbPath());
  const auto a = again.findByKey(key);
  ASSERT_TRUE(a);
  EXPECT_TRUE(a->revoked);
  EXPECT_EQ(again.setting("token"), "abc");
  EXPECT_EQ(again.schemaVersion(), SqliteAppStore::latestSchemaVersion());
}

TEST_F(SqliteAppStoreTest, UsesWalMode) {
  { SqliteAppStore store(dbPath()); }
  sqlite3* db = nullptr;
  ASSERT_EQ(sqlite3_open(dbPath().c_str(), &db), SQLITE_OK);
  sqlite3_stmt* s = nullptr;
  ASSERT_EQ(sqlite3_prepare_v2(db, "PRAGMA journal_mode", -1, &s, nullptr), SQLITE_OK);
  ASSERT_EQ(sqlite3_step(s), SQLITE_ROW);
  EXPECT_STREQ(reinterpret_cast<const char*>(sqlite3_column_text(s, 0)), "wal");
  sqlite3_finalize(s);
  sqlite3_close(db);
}

TEST_F(SqliteAppStoreTest, FileIsOwnerOnly) {
  { SqliteAppStore store(dbPath()); }
  const auto perms = fs::status(dbPath()).permissions();
  EXPECT_EQ(perms & (fs::perms::group_all | fs::perms::others_all), fs::perms::none);
}

TEST_F(SqliteAppStoreTest, UpgradesAnOlderFileInPlace) {
  // A file from before any migration: the version table exists, at version 0, with
  // unrelated data that must survive.
  rawExec(
      "CREATE TABLE schema_version (version INTEGER NOT NULL);"
      "INSERT INTO schema_version VALUES (0);"
      "CREATE TABLE keepme (x INTEGER); INSERT INTO keepme VALUES (42);");
  SqliteAppStore store(dbPath());
  EXPECT_EQ(store.schemaVersion(), SqliteAppStore::latestSchemaVersion());
  EXPECT_NO_THROW(store.create(primary(), 0));
}

TEST_F(SqliteAppStoreTest, RefusesANewerSchema) {
  { SqliteAppStore store(dbPath()); }
  rawExec("UPDATE schema_version SET version = 999");
  try {
    SqliteAppStore store(dbPath());
    FAIL() << "opened a newer schema";
  } catch (const std::runtime_error& e) {
    EXPECT_NE(std::string(e.what()).find("newer"), std::string::npos) << e.what();
  }
}

TEST_F(SqliteAppStoreTest, RefusesAFileThatIsNotADatabase) {
  std::ofstream(dbPath()) << std::string(8192, 'x');
  try {
    SqliteAppStore store(dbPath());
    FAIL() << "opened garbage";
  } catch (const std::runtime_error& e) {
    EXPECT_NE(std::string(e.what()).find(dbPath()), std::string::npos) << e.what();
  }
}

TEST_F(SqliteAppStoreTest, RefusesAPathItCannotOpen) {
  EXPECT_THROW(SqliteAppStore((dir_ / "no" / "such" / "dir" / "x.sqlite3").string()),
               std::runtime_error);
}

TEST_F(SqliteAppStoreTest, OpenInDirCreatesTheDirectory) {
  const fs::path data = dir_ / "nested" / "data";
  std::string key;
  {
    auto store = SqliteAppStore::openInDir(data.string());
    key = store->create(primary(), 0).appKey;
  }
  EXPECT_TRUE(fs::exists(data / "aerie.sqlite3"));
  auto again = SqliteAppStore::openInDir(data.string());
  EXPECT_TRUE(again->findByKey(key));
}

TEST_F(SqliteAppStoreTest, SafeFromSeveralThreads) {
  SqliteAppStore store(dbPath());
  std::vector<std::thread> threads;
  for (int t = 0; t < 4; ++t) {
    threads.emplace_back([&store, t] {
      for (int i = 0; i < 25; ++i) {
        const App a = store.create(NewApp{"n", "o", {}, {}, {}, 0}, i);
        EXPECT_TRUE(store.findByKey(a.appKey));
        store.setSetting("s" + std::to_string(t), std::to_string(i));
      }
    });
  }
  for (auto& th : threads) th.join();
  const auto all = store.list();
  EXPECT_EQ(all.size(), 100u);
  std::set<std::string> keys;
  for (const auto& a : all) keys.insert(a.appKey);
  EXPECT_EQ(keys.size(), 100u);
}

}  // namespace
}  // namespace aerie
