#pragma once
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "storage/MediaMode.hpp"

namespace aerie {

// A partial change of an app: only the fields that are set change. The key, owner, parent and
// secret are not here: a key's identity never changes, and the secret has rotateSecret().
struct AppUpdate {
  std::optional<std::string> name;
  std::optional<std::vector<std::string>> domains;
  std::optional<std::uint32_t> maxPeersPerRoom;
  std::optional<bool> turnEnabled;
  std::optional<bool> persistentRooms;
  std::optional<MediaMode> mediaMode;
  std::optional<std::uint32_t> autoSfuPeers;
  // Outer optional: change it or not; inner: the new expiry, or none (never expires).
  std::optional<std::optional<std::int64_t>> expiresAtMs;

  bool empty() const {
    return !name && !domains && !maxPeersPerRoom && !turnEnabled && !persistentRooms &&
           !mediaMode && !autoSfuPeers && !expiresAtMs;
  }
};

}  // namespace aerie
