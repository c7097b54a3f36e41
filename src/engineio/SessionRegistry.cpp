#include "engineio/SessionRegistry.hpp"

namespace aerie {

void SessionRegistry::add(const std::shared_ptr<EngineIoSession>& s) {
  std::lock_guard lock(mutex_);
  sessions_[s->sid()] = s;
}

void SessionRegistry::remove(const std::string& sid) {
  std::lock_guard lock(mutex_);
  sessions_.erase(sid);
}

std::shared_ptr<EngineIoSession> SessionRegistry::find(const std::string& sid) const {
  std::lock_guard lock(mutex_);
  auto it = sessions_.find(sid);
  return it == sessions_.end() ? nullptr : it->second;
}

std::shared_ptr<EngineIoSession> SessionRegistry::findUpgradable(const std::string& sid,
                                                                 EioVersion v) const {
  auto s = find(sid);
  if (!s || s->version() != v || s->transport() != EngineIoSession::Transport::Polling) return nullptr;
  return s;
}

std::size_t SessionRegistry::size() const {
  std::lock_guard lock(mutex_);
  return sessions_.size();
}

std::vector<std::shared_ptr<EngineIoSession>> SessionRegistry::snapshot() const {
  std::lock_guard lock(mutex_);
  std::vector<std::shared_ptr<EngineIoSession>> out;
  out.reserve(sessions_.size());
  for (const auto& [sid, s] : sessions_) out.push_back(s);
  return out;
}

}  // namespace aerie
