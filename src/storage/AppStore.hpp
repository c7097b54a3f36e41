#pragma once
#include <optional>
#include <string>
#include <vector>

#include "storage/App.hpp"
#include "storage/AppUpdate.hpp"
#include "storage/Usage.hpp"

namespace aerie {

struct NewApp {
  std::string name;
  std::string owner;
  std::vector<std::string> domains;
  std::optional<std::string> parentKey;  // create an alias key of this key
  std::optional<std::int64_t> expiresAtMs;
  std::uint32_t maxPeersPerRoom = 0;
  bool turnEnabled = true;
  bool persistentRooms = false;
  MediaMode mediaMode = MediaMode::Mesh;
  std::uint32_t autoSfuPeers = 0;  // 0: the server default (Limits::autoSfuPeers)
};

// Persistent apps (realms), alias keys, server settings and usage records. Implementations
// are thread-safe.
class AppStore {
 public:
  virtual ~AppStore() = default;
  // Generates appKey and secret. Returns the stored app, secret included.
  virtual App create(const NewApp& app, std::int64_t nowMs) = 0;
  virtual std::optional<App> findByKey(const std::string& appKey) = 0;
  virtual std::vector<App> list() = 0;
  // The alias keys whose parent is `parentKey`, oldest first.
  virtual std::vector<App> listAliases(const std::string& parentKey) = 0;
  virtual bool revoke(const std::string& appKey) = 0;
  virtual bool setDomains(const std::string& appKey, const std::vector<std::string>& domains) = 0;
  // Applies the fields that are set; returns the app after the change, nullopt if no such key.
  virtual std::optional<App> update(const std::string& appKey, const AppUpdate& change) = 0;
  // Replaces the secret (credentials signed with the old one stop verifying at once).
  // Returns the new secret, nullopt if no such key.
  virtual std::optional<std::string> rotateSecret(const std::string& appKey) = 0;

  // Server-wide secrets and settings (signing key of userCred/roomCred, admin token).
  virtual std::optional<std::string> setting(const std::string& name) = 0;
  virtual void setSetting(const std::string& name, const std::string& value) = 0;
  // Stores `value` unless `name` has a value already; returns the value stored now. Several
  // processes sharing a store that start at once agree on one value (the signing secret): the
  // stores do this atomically; this fallback (test doubles) does not.
  virtual std::string settingOrInsert(const std::string& name, const std::string& value) {
    if (auto stored = setting(name)) return *stored;
    setSetting(name, value);
    return value;
  }

  virtual void recordSession(const SessionRecord& session) = 0;
  // Several at once (the usage writer's batches); a store may write them in one transaction.
  virtual void recordSessions(const std::vector<SessionRecord>& sessions) {
    for (const auto& s : sessions) recordSession(s);
  }
  // Sessions of `appKey` overlapping [fromMs, toMs): for a primary key its whole realm (its
  // aliases included), for an alias key only the sessions made with it.
  virtual UsageReport usage(const std::string& appKey, std::int64_t fromMs,
                            std::int64_t toMs) = 0;
};

}  // namespace aerie
