#include "storage/CachingAppStore.hpp"

#include <gtest/gtest.h>

#include <filesystem>
#include <thread>

#include "storage/SqliteAppStore.hpp"

using namespace aerie;

namespace {

struct CachingAppStoreTest : ::testing::Test {
  std::filesystem::path dir = std::filesystem::temp_directory_path() /
                              ("aerie-cache-" + std::to_string(::getpid()) + "-" +
                               ::testing::UnitTest::GetInstance()->current_test_info()->name());
  void SetUp() override { std::filesystem::remove_all(dir); }
  void TearDown() override { std::filesystem::remove_all(dir); }
  NewApp app(const char* name) {
    NewApp n;
    n.name = name;
    n.owner = "test";
    return n;
  }
};

}  // namespace

TEST_F(CachingAppStoreTest, SecondLookupIsAHit) {
  auto sqlite = SqliteAppStore::openInDir(dir.string());
  CachingAppStore store(*sqlite, 60000, 100);
  auto a = store.create(app("a"), 1);
  ASSERT_TRUE(store.findByKey(a.appKey));
  ASSERT_TRUE(store.findByKey(a.appKey));
  EXPECT_EQ(store.hits(), 1u);
  EXPECT_EQ(store.misses(), 1u);
}

TEST_F(CachingAppStoreTest, UnknownKeysAreNeverCached) {
  auto sqlite = SqliteAppStore::openInDir(dir.string());
  CachingAppStore store(*sqlite, 60000, 100);
  for (int i = 0; i < 3; ++i) EXPECT_FALSE(store.findByKey("no-such-key"));
  EXPECT_EQ(store.hits(), 0u);
  EXPECT_EQ(store.misses(), 3u);
}

TEST_F(CachingAppStoreTest, WritesThroughItTakeEffectAtOnce) {
  auto sqlite = SqliteAppStore::openInDir(dir.string());
  CachingAppStore store(*sqlite, 60000, 100);
  auto a = store.create(app("a"), 1);
  ASSERT_TRUE(store.findByKey(a.appKey));
  ASSERT_TRUE(store.setDomains(a.appKey, {"example.com"}));
  EXPECT_EQ(store.findByKey(a.appKey)->domains, std::vector<std::string>{"example.com"});
  auto secret = store.rotateSecret(a.appKey);
  ASSERT_TRUE(secret);
  EXPECT_EQ(store.findByKey(a.appKey)->secret, *secret);
  ASSERT_TRUE(store.revoke(a.appKey));
  auto after = store.findByKey(a.appKey);
  EXPECT_TRUE(!after || after->revoked);
}

TEST_F(CachingAppStoreTest, OtherWritersAreSeenAfterTheTtl) {
  // The CLI writes the same file from another process: a running server sees it within the TTL.
  auto sqlite = SqliteAppStore::openInDir(dir.string());
  auto other = SqliteAppStore::openInDir(dir.string());
  CachingAppStore store(*sqlite, 50, 100);
  auto a = sqlite->create(app("a"), 1);
  ASSERT_FALSE(store.findByKey(a.appKey)->revoked);
  ASSERT_TRUE(other->revoke(a.appKey));
  std::this_thread::sleep_for(std::chrono::milliseconds(80));
  auto after = store.findByKey(a.appKey);
  EXPECT_TRUE(!after || after->revoked);
}

TEST_F(CachingAppStoreTest, BoundedInEntriesAndOffWithZeroTtl) {
  auto sqlite = SqliteAppStore::openInDir(dir.string());
  CachingAppStore bounded(*sqlite, 60000, 2);
  std::vector<std::string> keys;
  for (const char* n : {"a", "b", "c"}) keys.push_back(sqlite->create(app(n), 1).appKey);
  for (auto& k : keys) ASSERT_TRUE(bounded.findByKey(k));
  for (auto& k : keys) ASSERT_TRUE(bounded.findByKey(k));
  EXPECT_LE(bounded.hits(), 3u);
  EXPECT_GE(bounded.misses(), 3u);

  CachingAppStore off(*sqlite, 0, 100);
  ASSERT_TRUE(off.findByKey(keys[0]));
  ASSERT_TRUE(off.findByKey(keys[0]));
  EXPECT_EQ(off.hits(), 0u);
}
