#include "storage/CachingAppStore.hpp"

namespace aerie {

CachingAppStore::CachingAppStore(AppStore& inner, std::uint32_t ttlMs, std::size_t maxEntries)
    : inner_(inner), ttl_(ttlMs), maxEntries_(maxEntries) {}

std::optional<App> CachingAppStore::findByKey(const std::string& appKey) {
  std::uint64_t generation;
  {
    std::lock_guard lock(mutex_);
    auto it = entries_.find(appKey);
    if (it != entries_.end()) {
      if (Clock::now() < it->second.expires) {
        ++hits_;
        return it->second.app;
      }
      entries_.erase(it);
    }
    ++misses_;
    generation = generation_;
  }
  auto app = inner_.findByKey(appKey);
  if (!app || ttl_.count() == 0 || maxEntries_ == 0) return app;
  std::lock_guard lock(mutex_);
  if (generation != generation_) return app;  // a write happened meanwhile: may be stale
  if (entries_.size() >= maxEntries_) {
    // Full: drop the expired entries, and if none were, start over.
    auto now = Clock::now();
    std::erase_if(entries_, [now](const auto& kv) { return kv.second.expires <= now; });
    if (entries_.size() >= maxEntries_) entries_.clear();
  }
  entries_.insert_or_assign(appKey, Entry{*app, Clock::now() + ttl_});
  return app;
}

void CachingAppStore::clear() {
  std::lock_guard lock(mutex_);
  ++generation_;
  entries_.clear();
}

void CachingAppStore::invalidate(const std::string& appKey) {
  std::lock_guard lock(mutex_);
  ++generation_;
  entries_.erase(appKey);
}

void CachingAppStore::invalidateAll() {
  clear();
}

std::uint64_t CachingAppStore::hits() const {
  std::lock_guard lock(mutex_);
  return hits_;
}

std::uint64_t CachingAppStore::misses() const {
  std::lock_guard lock(mutex_);
  return misses_;
}

App CachingAppStore::create(const NewApp& app, std::int64_t nowMs) {
  return write([&] { return inner_.create(app, nowMs); });
}

bool CachingAppStore::revoke(const std::string& appKey) {
  return write([&] { return inner_.revoke(appKey); });
}

bool CachingAppStore::setDomains(const std::string& appKey, const std::vector<std::string>& domains) {
  return write([&] { return inner_.setDomains(appKey, domains); });
}

std::optional<App> CachingAppStore::update(const std::string& appKey, const AppUpdate& change) {
  return write([&] { return inner_.update(appKey, change); });
}

std::optional<std::string> CachingAppStore::rotateSecret(const std::string& appKey) {
  return write([&] { return inner_.rotateSecret(appKey); });
}

std::vector<App> CachingAppStore::list() {
  return inner_.list();
}
std::vector<App> CachingAppStore::listAliases(const std::string& parentKey) {
  return inner_.listAliases(parentKey);
}
std::optional<std::string> CachingAppStore::setting(const std::string& name) {
  return inner_.setting(name);
}
void CachingAppStore::setSetting(const std::string& name, const std::string& value) {
  inner_.setSetting(name, value);
}
std::string CachingAppStore::settingOrInsert(const std::string& name, const std::string& value) {
  return inner_.settingOrInsert(name, value);
}
void CachingAppStore::recordSession(const SessionRecord& session) {
  inner_.recordSession(session);
}
void CachingAppStore::recordSessions(const std::vector<SessionRecord>& sessions) {
  inner_.recordSessions(sessions);
}
UsageReport CachingAppStore::usage(const std::string& appKey, std::int64_t fromMs,
                                   std::int64_t toMs) {
  return inner_.usage(appKey, fromMs, toMs);
}

}  // namespace aerie
