#pragma once
#include <optional>
#include <string>
#include <vector>

#include "storage/App.hpp"

namespace aerie {

struct NewApp {
  std::string name;
  std::string owner;
  std::vector<std::string> domains;
  std::optional<std::string> parentKey;  // create an alias key of this key
  std::optional<std::int64_t> expiresAtMs;
  std::uint32_t maxPeersPerRoom = 0;
};

// Persistent apps (realms) and alias keys. Implementations are thread-safe.
class AppStore {
 public:
  virtual ~AppStore() = default;
  // Generates appKey and secret. Returns the stored app, secret included.
  virtual App create(const NewApp& app, std::int64_t nowMs) = 0;
  virtual std::optional<App> findByKey(const std::string& appKey) = 0;
  virtual std::vector<App> list() = 0;
  virtual bool revoke(const std::string& appKey) = 0;
  virtual bool setDomains(const std::string& appKey, const std::vector<std::string>& domains) = 0;
  // Server-wide secrets and settings (signing key of userCred/roomCred, admin token).
  virtual std::optional<std::string> setting(const std::string& name) = 0;
  virtual void setSetting(const std::string& name, const std::string& value) = 0;
};

}  // namespace aerie
