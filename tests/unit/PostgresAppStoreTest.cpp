// What is PostgreSQL's own in the PostgreSQL store: migrations when several nodes start at once,
// a newer schema refused, connections that drop, the change notifications other nodes hear
// (PgAppChanges), and URLs in messages without their password. (The semantics it shares with
// SqliteAppStore are AppStoreContractTest's.)
#include <gtest/gtest.h>

#include <chrono>
#include <condition_variable>
#include <mutex>
#include <thread>

#include "storage/PgAppChanges.hpp"
#include "storage/PgConnection.hpp"
#include "storage/PgError.hpp"
#include "storage/PostgresAppStore.hpp"
#include "storage/Schema.hpp"
#include "TestPostgres.hpp"

namespace aerie {
namespace {

using namespace std::chrono_literals;

class PostgresAppStoreTest : public ::testing::Test {
 protected:
  void SetUp() override {
    AERIE_REQUIRE_POSTGRES();
    url_ = test::TestPostgres::instance().newDatabase();
  }
  // Ends every other connection to this test's database, as a server restart would.
  void dropOtherConnections() {
    PgConnection admin(url_, 5000);
    admin.exec(
        "SELECT pg_terminate_backend(pid) FROM pg_stat_activity "
        "WHERE datname = current_database() AND pid <> pg_backend_pid()",
        "terminate connections");
  }
  static NewApp app(std::string name) {
    NewApp n;
    n.name = std::move(name);
    n.owner = "test";
    return n;
  }

  std::string url_;
};

TEST_F(PostgresAppStoreTest, ThreeNodesMigratingAnEmptyDatabaseAtOnceConverge) {
  std::vector<std::thread> nodes;
  std::vector<std::string> errors(3);
  std::vector<int> versions(3, -1);
  for (int i = 0; i < 3; ++i) {
    nodes.emplace_back([&, i] {
      try {
        PostgresAppStore store(url_, 5000);
        versions[i] = store.schemaVersion();
      } catch (const std::exception& e) {
        errors[i] = e.what();
      }
    });
  }
  for (auto& t : nodes) t.join();
  for (int i = 0; i < 3; ++i) {
    EXPECT_EQ(errors[i], "") << "node " << i;
    EXPECT_EQ(versions[i], PostgresAppStore::latestSchemaVersion()) << "node " << i;
  }
  PgConnection check(url_, 5000);
  EXPECT_EQ(check.exec("SELECT count(*) FROM schema_version", "count").row(0).integer(0), 1);
  PostgresAppStore store(url_, 5000);
  EXPECT_FALSE(store.create(app("after"), 0).appKey.empty());
}

TEST_F(PostgresAppStoreTest, ASchemaNewerThanThisAerieIsRefused) {
  { PostgresAppStore store(url_, 5000); }
  PgConnection(url_, 5000).exec("UPDATE schema_version SET version = 99", "bump");
  try {
    PostgresAppStore store(url_, 5000);
    FAIL() << "opened a schema of version 99";
  } catch (const std::runtime_error& e) {
    EXPECT_NE(std::string(e.what()).find("newer than this Aerie supports"), std::string::npos)
        << e.what();
  }
}

TEST_F(PostgresAppStoreTest, ReadsAndWritesGoOnAfterTheServerDropsTheConnection) {
  PostgresAppStore store(url_, 5000);
  const App a = store.create(app("a"), 0);
  dropOtherConnections();
  EXPECT_TRUE(store.findByKey(a.appKey));
  dropOtherConnections();
  EXPECT_TRUE(store.revoke(a.appKey));
  EXPECT_TRUE(store.findByKey(a.appKey)->revoked);
}

struct Recorder : PgAppChanges::Listener {
  std::mutex mutex;
  std::condition_variable changed;
  std::vector<std::pair<std::string, bool>> apps;
  int all = 0;
  std::chrono::steady_clock::time_point lastAt;

  void onAppChanged(const std::string& key, bool revoked) override {
    std::lock_guard lock(mutex);
    apps.emplace_back(key, revoked);
    lastAt = std::chrono::steady_clock::now();
    changed.notify_all();
  }
  void onAllChanged() override {
    std::lock_guard lock(mutex);
    ++all;
    changed.notify_all();
  }
  template <class P>
  bool waitFor(P predicate) {
    std::unique_lock lock(mutex);
    return changed.wait_for(lock, 5s, predicate);
  }
};

TEST_F(PostgresAppStoreTest, EveryWriteToAnAppIsHeardByTheListeners) {
  PostgresAppStore store(url_, 5000);
  Recorder heard;
  PgAppChanges changes(url_, {5000, 100, 5000}, heard);
  changes.start();
  EXPECT_EQ(heard.all, 1);  // the first connect: nothing cached may be trusted

  const App a = store.create(app("a"), 0);
  store.setDomains(a.appKey, {"example.com"});
  store.update(a.appKey, AppUpdate{.name = "b"});
  store.rotateSecret(a.appKey);
  const auto before = std::chrono::steady_clock::now();
  store.revoke(a.appKey);
  ASSERT_TRUE(heard.waitFor([&] { return heard.apps.size() == 5; })) << heard.apps.size();
  const auto latency = std::chrono::duration_cast<std::chrono::microseconds>(heard.lastAt - before);
  std::cout << "revoke() to onAppChanged: " << latency.count() << " us\n";
  for (int i = 0; i < 4; ++i) EXPECT_EQ(heard.apps[i], std::make_pair(a.appKey, false)) << i;
  EXPECT_EQ(heard.apps[4], std::make_pair(a.appKey, true));
  // A write that changes nothing says nothing.
  store.revoke("no-such-key");
  std::this_thread::sleep_for(100ms);
  EXPECT_EQ(heard.apps.size(), 5u);
}

TEST_F(PostgresAppStoreTest, AListenerThatLosesItsConnectionReconnectsAndForgetsEverything) {
  PostgresAppStore store(url_, 5000);
  Recorder heard;
  PgAppChanges changes(url_, {5000, 100, 5000}, heard);
  changes.start();
  dropOtherConnections();  // the listener's, and the store's
  ASSERT_TRUE(heard.waitFor([&] { return heard.all == 2; }));
  EXPECT_EQ(changes.connects(), 2u);
  const App a = store.create(app("a"), 0);
  ASSERT_TRUE(heard.waitFor([&] { return heard.apps.size() == 1; }));
  EXPECT_EQ(heard.apps[0].first, a.appKey);
  changes.stop();
  changes.stop();
}

TEST(Schema, PostgresGetsSixtyFourBitIntegersAndIdentityIds) {
  const std::string pg = schema::forPostgres(
      "CREATE TABLE t (id INTEGER PRIMARY KEY, at_ms INTEGER NOT NULL, until INTEGER,\n"
      "  name TEXT);");
  EXPECT_EQ(pg,
            "CREATE TABLE t (id BIGINT GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY, at_ms BIGINT "
            "NOT NULL, until BIGINT,\n  name TEXT);");
  for (const auto m : schema::migrations()) {
    EXPECT_EQ(schema::forPostgres(m).find("INTEGER"), std::string::npos) << schema::forPostgres(m);
  }
}

TEST(PgAppChanges, ParsesOnlyItsOwnPayloads) {
  std::string key;
  bool revoked = true;
  EXPECT_TRUE(PgAppChanges::parse("changed k-1", key, revoked));
  EXPECT_EQ(key, "k-1");
  EXPECT_FALSE(revoked);
  EXPECT_TRUE(PgAppChanges::parse("revoked k-2", key, revoked));
  EXPECT_EQ(key, "k-2");
  EXPECT_TRUE(revoked);
  for (const char* bad : {"", "revoked", "revoked ", "deleted k", "k"}) {
    EXPECT_FALSE(PgAppChanges::parse(bad, key, revoked)) << bad;
  }
}

TEST(PgConnection, UrlsInMessagesLeaveThePasswordOut) {
  EXPECT_EQ(PgConnection::redact("postgresql://aerie:hunter2@db.example:5432/aerie?sslmode=require"),
            "postgresql://aerie@db.example:5432/aerie?sslmode=require");
  EXPECT_EQ(PgConnection::redact("postgres://u:p%40ss@h1,h2/db"), "postgres://u@h1,h2/db");
  EXPECT_EQ(PgConnection::redact("postgresql:///aerie?host=/tmp/s&password=hunter2&user=aerie"),
            "postgresql:///aerie?host=/tmp/s&user=aerie");
  EXPECT_EQ(PgConnection::redact("postgresql://h/db"), "postgresql://h/db");
  EXPECT_EQ(PgConnection::redact("host=h password='a b\\' c' dbname=x"), "host=h dbname=x");
}

TEST(PgConnection, AServerThatCannotBeReachedIsNamedWithoutThePassword) {
  // Port 1 on loopback: nothing listens there, so the connection is refused at once.
  try {
    PostgresAppStore store("postgresql://aerie:hunter2@127.0.0.1:1/aerie", 2000);
    FAIL() << "connected to port 1";
  } catch (const PgError& e) {
    const std::string what = e.what();
    EXPECT_TRUE(e.connectionLost());
    EXPECT_NE(what.find("cannot connect to PostgreSQL at postgresql://aerie@127.0.0.1:1/aerie"),
              std::string::npos)
        << what;
    EXPECT_EQ(what.find("hunter2"), std::string::npos) << what;
  }
}

}  // namespace
}  // namespace aerie
