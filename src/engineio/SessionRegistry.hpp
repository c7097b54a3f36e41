#pragma once
// Live Engine.IO sessions by sid, for polling requests (which may arrive on any connection and
// loop) and for the once-a-second timer sweep. Not on the message path: a lookup per polling
// request and per upgrade.
#include <functional>
#include <memory>
#include <mutex>
#include <string>
#include <unordered_map>
#include <vector>

#include "engineio/EngineIoSession.hpp"

namespace aerie {

class SessionRegistry {
 public:
  void add(const std::shared_ptr<EngineIoSession>& s);
  void remove(const std::string& sid);
  std::shared_ptr<EngineIoSession> find(const std::string& sid) const;
  // The polling session of that sid and version a WebSocket may take over; null if none.
  std::shared_ptr<EngineIoSession> findUpgradable(const std::string& sid, EioVersion v) const;
  std::size_t size() const;
  std::vector<std::shared_ptr<EngineIoSession>> snapshot() const;

 private:
  mutable std::mutex mutex_;
  std::unordered_map<std::string, std::shared_ptr<EngineIoSession>> sessions_;
};

}  // namespace aerie
