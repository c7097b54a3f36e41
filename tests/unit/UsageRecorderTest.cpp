#include <gtest/gtest.h>

#include <chrono>
#include <filesystem>
#include <mutex>
#include <thread>

#include "admin/AdminToken.hpp"
#include "admin/UsageRecorder.hpp"
#include "core/Crypto.hpp"
#include "core/Limits.hpp"
#include "storage/SqliteAppStore.hpp"
#include "storage/UsageWriter.hpp"

namespace aerie {
namespace {

namespace fs = std::filesystem;

class UsageRecorderTest : public ::testing::Test {
 protected:
  UsageRecorderTest()
      : dir_(fs::temp_directory_path() / ("aerie-usage-" + crypto::randomToken(8))),
        store_(SqliteAppStore::openInDir(dir_.string())) {}
  ~UsageRecorderTest() override { fs::remove_all(dir_); }

  static PeerSession session(std::string sid, std::int64_t joined) {
    return PeerSession{"realm", "alias", "lobby", "rk", std::move(sid), joined, 0};
  }

  fs::path dir_;
  std::unique_ptr<SqliteAppStore> store_;
  UsageWriter writer_{*store_, 1000};
};

TEST_F(UsageRecorderTest, WritesOneRecordPerLeave) {
  UsageRecorder r(writer_);
  r.onPeerJoined(session("a", 0));
  EXPECT_EQ(r.openSessions(), 1u);
  EXPECT_EQ(store_->usage("realm", 0, 600000).totals.sessions, 0u);  // written at leave
  PeerSession left = session("a", 0);
  left.leftAtMs = 120000;
  r.onPeerLeft(left);
  EXPECT_EQ(r.openSessions(), 0u);
  writer_.drain();
  const auto u = store_->usage("realm", 0, 600000);
  EXPECT_EQ(u.totals.sessions, 1u);
  EXPECT_EQ(u.totals.peerMs, 120000);
  EXPECT_EQ(u.keys.at(0).appKey, "alias");
  EXPECT_EQ(u.rooms.at(0).roomName, "lobby");
}

TEST_F(UsageRecorderTest, FlushEndsTheOpenSessionsAtShutdown) {
  UsageRecorder r(writer_);
  r.onPeerJoined(session("a", 0));
  r.onPeerJoined(session("b", 60000));
  r.flush(180000);
  EXPECT_EQ(r.openSessions(), 0u);
  writer_.stop();  // as at shutdown: what is queued is written
  const auto u = store_->usage("realm", 0, 600000);
  EXPECT_EQ(u.totals.sessions, 2u);
  EXPECT_EQ(u.totals.peerMs, 180000 + 120000);
  r.flush(999999);  // nothing left to write
  EXPECT_EQ(store_->usage("realm", 0, 2000000).totals.sessions, 2u);
}

// The worker writes from its own thread, in batches; many threads may hand records over at
// once, and every record lands exactly once.
TEST_F(UsageRecorderTest, TheWorkerWritesEveryRecordFromManyThreadsInBatches) {
  UsageWriter writer(*store_, 100000);
  std::vector<std::thread> threads;
  for (int t = 0; t < 4; ++t) {
    threads.emplace_back([&writer, t] {
      for (int i = 0; i < 500; ++i) {
        writer.enqueue(SessionRecord{"alias", "realm", "room" + std::to_string(t),
                                     std::to_string(t) + "-" + std::to_string(i), 0, 1000});
      }
    });
  }
  for (auto& th : threads) th.join();
  writer.drain();
  EXPECT_EQ(writer.written(), 2000u);
  EXPECT_EQ(writer.dropped(), 0u);
  EXPECT_LT(writer.batches(), 2000u);  // batched: fewer transactions than records
  EXPECT_EQ(store_->usage("realm", 0, 600000).totals.sessions, 2000u);
}

// Limits::maxPendingUsageRecords: a store that does not keep up loses the newest records,
// counted; the callers never wait.
TEST(UsageWriterTest, AFullQueueDropsAndCountsInsteadOfWaiting) {
  struct SlowStore : AppStore {
    std::mutex gate;
    std::size_t writes = 0;
    std::optional<App> findByKey(const std::string&) override { return std::nullopt; }
    std::vector<App> list() override { return {}; }
    std::vector<App> listAliases(const std::string&) override { return {}; }
    bool revoke(const std::string&) override { return false; }
    bool setDomains(const std::string&, const std::vector<std::string>&) override { return false; }
    std::optional<App> update(const std::string&, const AppUpdate&) override { return std::nullopt; }
    std::optional<std::string> rotateSecret(const std::string&) override { return std::nullopt; }
    App create(const NewApp&, std::int64_t) override { return {}; }
    std::optional<std::string> setting(const std::string&) override { return std::nullopt; }
    void setSetting(const std::string&, const std::string&) override {}
    void recordSession(const SessionRecord&) override {
      std::lock_guard lock(gate);  // held by the test: the disk "stalls"
      ++writes;
    }
    UsageReport usage(const std::string&, std::int64_t, std::int64_t) override { return {}; }
  } store;
  Limits limits;
  ASSERT_TRUE(limits.set("max-pending-usage-records", "3"));
  std::unique_lock stall(store.gate);
  UsageWriter writer(store, limits.maxPendingUsageRecords);
  ASSERT_TRUE(writer.enqueue(SessionRecord{"k", "r", "room", "first", 0, 1}));
  // The worker takes "first" and blocks in the store (bounded wait: 5 s).
  for (int i = 0; i < 5000 && writer.pending() != 0; ++i) std::this_thread::sleep_for(std::chrono::milliseconds(1));
  ASSERT_EQ(writer.pending(), 0u);
  std::size_t accepted = 0;
  for (int i = 0; i < 10; ++i) accepted += writer.enqueue(SessionRecord{"k", "r", "room", "x", 0, 1}) ? 1 : 0;
  EXPECT_EQ(accepted, 3u);  // the limit
  EXPECT_EQ(writer.dropped(), 7u);
  stall.unlock();
  writer.drain();
  EXPECT_EQ(writer.written(), 4u);
  EXPECT_EQ(store.writes, writer.written());
}

TEST(AdminTokenTest, EnsureCreatesOnceAndRotateReplaces) {
  const auto dir = fs::temp_directory_path() / ("aerie-token-" + crypto::randomToken(8));
  {
    auto store = SqliteAppStore::openInDir(dir.string());
    bool created = false;
    const std::string t1 = AdminToken::ensure(*store, created);
    EXPECT_TRUE(created);
    EXPECT_GE(t1.size(), 43u);  // 256 bits in base64url
    const std::string t2 = AdminToken::ensure(*store, created);
    EXPECT_FALSE(created);
    EXPECT_EQ(t1, t2);
    EXPECT_TRUE(AdminToken::accepts(*store, "Bearer " + t1));
    EXPECT_TRUE(AdminToken::accepts(*store, "BEARER " + t1));
    EXPECT_FALSE(AdminToken::accepts(*store, "Bearer " + t1.substr(1)));
    EXPECT_FALSE(AdminToken::accepts(*store, "Bearer" + t1));
    EXPECT_FALSE(AdminToken::accepts(*store, t1));
    const std::string t3 = AdminToken::rotate(*store);
    EXPECT_NE(t3, t1);
    EXPECT_FALSE(AdminToken::accepts(*store, "Bearer " + t1));
    EXPECT_TRUE(AdminToken::accepts(*store, "Bearer " + t3));
  }
  fs::remove_all(dir);
}

}  // namespace
}  // namespace aerie
