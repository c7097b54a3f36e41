#pragma once
// What both stores share about an `apps` row: the column list, the JSON of the domains column,
// the reading of a row, and how keys and secrets are made. SqliteAppStore and PostgresAppStore
// keep the same columns with the same types (flags as 0/1 integers), so one reader serves both.
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "storage/App.hpp"
#include "storage/AppStore.hpp"

namespace aerie::app_row {

// The columns readApp expects, in its order.
inline constexpr std::string_view kColumns =
    "id, app_key, name, owner, secret, domains, parent_key, revoked, created_at_ms, "
    "expires_at_ms, max_peers_per_room, turn_enabled, persistent_rooms, media_mode, "
    "auto_sfu_peers";

std::string domainsToJson(const std::vector<std::string>& domains);
// A damaged domains column allows no domain: failing closed is the safe default for CORS.
std::vector<std::string> domainsFromJson(const std::string& text);
// 122 random bits in the textual layout of an RFC 9562 version-4 UUID.
std::string newAppKey();
// 24 random bytes, base64url.
std::string newSecret();
// The app `n` describes with a new key and secret, as a store writes it (id not yet known).
App fromNew(const NewApp& n, std::int64_t nowMs);

// Throws std::invalid_argument unless `parent` (the app `parentKey` names) may have alias
// keys: it exists and is no alias itself (a chain would let a revoked middle key keep its
// children).
void checkParent(const std::string& parentKey, const std::optional<App>& parent);
// Sets the fields `change` sets.
void apply(App& app, const AppUpdate& change);

// `Row` has isNull(col), integer(col) and text(col), columns in kColumns order from 0.
template <class Row>
App read(const Row& s) {
  App a;
  a.id = s.integer(0);
  a.appKey = s.text(1);
  a.name = s.text(2);
  a.owner = s.text(3);
  a.secret = s.text(4);
  a.domains = domainsFromJson(s.text(5));
  if (!s.isNull(6)) a.parentKey = s.text(6);
  a.revoked = s.integer(7) != 0;
  a.createdAtMs = s.integer(8);
  if (!s.isNull(9)) a.expiresAtMs = s.integer(9);
  a.maxPeersPerRoom = static_cast<std::uint32_t>(s.integer(10));
  a.turnEnabled = s.integer(11) != 0;
  a.persistentRooms = s.integer(12) != 0;
  // A damaged value reads as mesh, the mode that needs nothing of the media plane.
  a.mediaMode = parseMediaMode(s.text(13)).value_or(MediaMode::Mesh);
  // A damaged (negative or huge) value reads as the server's default.
  const std::int64_t k = s.integer(14);
  a.autoSfuPeers = k > 0 && k <= 0xFFFFFFFF ? static_cast<std::uint32_t>(k) : 0;
  return a;
}

}  // namespace aerie::app_row
