#include <gtest/gtest.h>

#include <filesystem>

#include "admin/AdminToken.hpp"
#include "admin/UsageRecorder.hpp"
#include "core/Crypto.hpp"
#include "storage/SqliteAppStore.hpp"

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
};

TEST_F(UsageRecorderTest, WritesOneRecordPerLeave) {
  UsageRecorder r(*store_);
  r.onPeerJoined(session("a", 0));
  EXPECT_EQ(r.openSessions(), 1u);
  EXPECT_EQ(store_->usage("realm", 0, 600000).totals.sessions, 0u);  // written at leave
  PeerSession left = session("a", 0);
  left.leftAtMs = 120000;
  r.onPeerLeft(left);
  EXPECT_EQ(r.openSessions(), 0u);
  const auto u = store_->usage("realm", 0, 600000);
  EXPECT_EQ(u.totals.sessions, 1u);
  EXPECT_EQ(u.totals.peerMs, 120000);
  EXPECT_EQ(u.keys.at(0).appKey, "alias");
  EXPECT_EQ(u.rooms.at(0).roomName, "lobby");
}

TEST_F(UsageRecorderTest, FlushEndsTheOpenSessionsAtShutdown) {
  UsageRecorder r(*store_);
  r.onPeerJoined(session("a", 0));
  r.onPeerJoined(session("b", 60000));
  r.flush(180000);
  EXPECT_EQ(r.openSessions(), 0u);
  const auto u = store_->usage("realm", 0, 600000);
  EXPECT_EQ(u.totals.sessions, 2u);
  EXPECT_EQ(u.totals.peerMs, 180000 + 120000);
  r.flush(999999);  // nothing left to write
  EXPECT_EQ(store_->usage("realm", 0, 2000000).totals.sessions, 2u);
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
