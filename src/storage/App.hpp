#pragma once
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "storage/MediaMode.hpp"

namespace aerie {

// An app key. A primary key is a realm; an alias key (parentKey set) shares its parent's realm.
struct App {
  std::int64_t id = 0;
  std::string appKey;                  // public, appears in pages
  std::string name;
  std::string owner;                   // `apiOwner` in the API reply
  std::string secret;                  // signs the optional `cred`; never sent to a page
  std::vector<std::string> domains;    // CORS domains: exact host, `*.example.com`, `localhost`
  std::optional<std::string> parentKey;  // alias keys only
  bool revoked = false;
  std::int64_t createdAtMs = 0;
  std::optional<std::int64_t> expiresAtMs;  // temporary (alias) keys
  std::uint32_t maxPeersPerRoom = 0;   // 0: the server default (Limits)
  bool turnEnabled = true;             // false: inRoom carries no TURN entry for this realm
  bool persistentRooms = false;        // stored for the meetings feature; nothing reads it yet
  // The realm's media mode; an alias key's own value is not used (its parent's applies).
  MediaMode mediaMode = MediaMode::Mesh;
  // An auto realm's rooms go through the SFU past this many peers, and back below it; 0: the
  // server's Limits::autoSfuPeers. Like the media mode, the realm's (an alias key's is unused).
  std::uint32_t autoSfuPeers = 0;
};

}  // namespace aerie
