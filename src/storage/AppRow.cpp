#include "storage/AppRow.hpp"

#include <boost/json/array.hpp>
#include <boost/json/parse.hpp>
#include <boost/json/serialize.hpp>
#include <stdexcept>

#include "core/Crypto.hpp"

namespace aerie::app_row {

std::string domainsToJson(const std::vector<std::string>& domains) {
  boost::json::array a;
  for (const auto& d : domains) a.emplace_back(d);
  return boost::json::serialize(a);
}

std::vector<std::string> domainsFromJson(const std::string& text) {
  std::vector<std::string> out;
  boost::system::error_code ec;
  const boost::json::value v = boost::json::parse(text, ec);
  if (ec || !v.is_array()) return out;
  for (const auto& e : v.get_array()) {
    if (e.is_string()) out.emplace_back(e.get_string());
  }
  return out;
}

std::string newAppKey() {
  std::string b = crypto::randomBytes(16);
  b[6] = static_cast<char>((static_cast<unsigned char>(b[6]) & 0x0F) | 0x40);
  b[8] = static_cast<char>((static_cast<unsigned char>(b[8]) & 0x3F) | 0x80);
  std::string out;
  static constexpr char kHex[] = "0123456789abcdef";
  for (std::size_t i = 0; i < b.size(); ++i) {
    if (i == 4 || i == 6 || i == 8 || i == 10) out += '-';
    const auto c = static_cast<unsigned char>(b[i]);
    out += kHex[c >> 4];
    out += kHex[c & 0x0F];
  }
  return out;
}

std::string newSecret() {
  return crypto::randomToken(24);
}

App fromNew(const NewApp& n, std::int64_t nowMs) {
  App a;
  a.appKey = newAppKey();
  a.name = n.name;
  a.owner = n.owner;
  a.secret = newSecret();
  a.domains = n.domains;
  a.parentKey = n.parentKey;
  a.createdAtMs = nowMs;
  a.expiresAtMs = n.expiresAtMs;
  a.maxPeersPerRoom = n.maxPeersPerRoom;
  a.turnEnabled = n.turnEnabled;
  a.persistentRooms = n.persistentRooms;
  a.mediaMode = n.mediaMode;
  a.autoSfuPeers = n.autoSfuPeers;
  return a;
}

void checkParent(const std::string& parentKey, const std::optional<App>& parent) {
  if (!parent) throw std::invalid_argument("parent key " + parentKey + " does not exist");
  if (parent->parentKey) {
    throw std::invalid_argument("parent key " + parentKey + " is itself an alias key");
  }
}

void apply(App& app, const AppUpdate& change) {
  if (change.name) app.name = *change.name;
  if (change.domains) app.domains = *change.domains;
  if (change.maxPeersPerRoom) app.maxPeersPerRoom = *change.maxPeersPerRoom;
  if (change.turnEnabled) app.turnEnabled = *change.turnEnabled;
  if (change.persistentRooms) app.persistentRooms = *change.persistentRooms;
  if (change.mediaMode) app.mediaMode = *change.mediaMode;
  if (change.autoSfuPeers) app.autoSfuPeers = *change.autoSfuPeers;
  if (change.expiresAtMs) app.expiresAtMs = *change.expiresAtMs;
}

}  // namespace aerie::app_row
