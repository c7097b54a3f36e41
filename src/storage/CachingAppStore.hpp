#pragma once
// A read-through cache of app lookups in front of another AppStore. Every API call and every
// joinRoom looks its key up; the store behind takes a lock, a statement and file locks each
// time. Found apps are kept for `ttlMs` (bounded in count); unknown keys are never cached, so a
// flood of random keys cannot fill it. Any write through this store clears the cache.
#include <chrono>
#include <cstddef>
#include <cstdint>
#include <memory>
#include <mutex>
#include <unordered_map>

#include "storage/AppStore.hpp"

namespace aerie {

class CachingAppStore final : public AppStore {
 public:
  CachingAppStore(AppStore& inner, std::uint32_t ttlMs, std::size_t maxEntries);

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
  void recordSessions(const std::vector<SessionRecord>& sessions) override;
  UsageReport usage(const std::string& appKey, std::int64_t fromMs, std::int64_t toMs) override;

  // Forgets `appKey`, or everything: for changes made by another process on a shared store
  // (PgAppChanges). A lookup racing it is not cached.
  void invalidate(const std::string& appKey);
  void invalidateAll();

  std::uint64_t hits() const;
  std::uint64_t misses() const;

 private:
  using Clock = std::chrono::steady_clock;
  struct Entry {
    App app;
    Clock::time_point expires;
  };
  void clear();
  // Runs a write of the store behind, clearing the cache before (a lookup racing the write is
  // not cached) and after (nothing read before the write survives it).
  template <class F>
  auto write(F&& f) {
    clear();
    auto result = f();
    clear();
    return result;
  }

  AppStore& inner_;
  const std::chrono::milliseconds ttl_;
  const std::size_t maxEntries_;
  mutable std::mutex mutex_;
  std::unordered_map<std::string, Entry> entries_;
  std::uint64_t generation_ = 0;  // bumped by every write: a lookup racing a write is not cached
  std::uint64_t hits_ = 0;
  std::uint64_t misses_ = 0;
};

}  // namespace aerie
