#include "api/SessionCredentials.hpp"

#include <charconv>
#include <cmath>
#include <cstdint>

#include "core/Crypto.hpp"

namespace aerie {

std::string SessionCredentials::roomKey(std::string_view realm, std::string_view roomName) {
  std::string input(realm);
  input += '\0';  // cannot occur in a key, so ("ab","c") and ("a","bc") differ
  input += roomName;
  return crypto::base64UrlEncode(crypto::sha256(input)).substr(0, 22);
}

std::string SessionCredentials::formatHours(double hours) {
  if (!std::isfinite(hours)) return "0";
  // Integers print without exponent, as JavaScript does below 1e21.
  if (hours == std::floor(hours) && std::fabs(hours) < 1e15) {
    return std::to_string(static_cast<std::int64_t>(hours));
  }
  char buf[32];
  const auto r = std::to_chars(buf, buf + sizeof buf, hours);
  return std::string(buf, r.ptr);
}

std::optional<std::string> SessionCredentials::roomNameOf(std::string_view roomCred) {
  const auto dot = roomCred.find('.');
  if (dot == std::string_view::npos || dot == 0) return std::nullopt;
  return crypto::base64UrlDecode(roomCred.substr(0, dot));
}

std::string SessionCredentials::userCred(const Session& s) const {
  return signer_.sign(
      {"userCred", s.username, s.roomKey, s.timeStamp, s.start, formatHours(s.lenHours), s.appKey});
}

std::string SessionCredentials::roomCred(const Session& s) const {
  return crypto::base64UrlEncode(s.roomName) + "." +
         signer_.sign({"roomCred", s.roomKey, s.realm, s.roomName, s.start, formatHours(s.lenHours),
                       s.appKey});
}

bool SessionCredentials::verifyUserCred(const Session& s, std::string_view token) const {
  return signer_.verify(
      {"userCred", s.username, s.roomKey, s.timeStamp, s.start, formatHours(s.lenHours), s.appKey},
      token);
}

bool SessionCredentials::verifyRoomCred(const Session& s, std::string_view token) const {
  const auto dot = token.find('.');
  if (dot == std::string_view::npos) return false;
  // The name in front is only a carrier; the MAC below binds the name actually used.
  return signer_.verify(
      {"roomCred", s.roomKey, s.realm, s.roomName, s.start, formatHours(s.lenHours), s.appKey},
      token.substr(dot + 1));
}

}  // namespace aerie
