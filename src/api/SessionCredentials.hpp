#pragma once
// The layout of the session tokens the API server issues and `joinRoom` brings back
// (protocol spec sections 2, 4 and 7). ApiService and CredentialJoinAuthorizer both use
// this one class, so issuer and verifier cannot drift apart.
//
// What travels, and how the verifier recovers what it needs from `joinRoom`:
//   cid       = the app key used in the API request (alias or primary). joinRoom echoes it
//               as `cid`; the authorizer looks the key up and resolves its realm (the key
//               itself, or its parent for an alias) from the store.
//   rid       = room_key = base64url(sha256(realm + "\0" + roomName)), first 22 chars
//               (132 bits): opaque, and different realms never share a room.
//   roomCred  = base64url(roomName) + "." + MAC("roomCred", room_key, realm, roomName,
//               start, len, appKey): carries the room name, which rid cannot give back.
//   userCred  = MAC("userCred", username, room_key, timeStamp, start, len, appKey), where
//               username is joinRoom's `uid`.
// MAC is TokenSigner (HMAC-SHA256, base64url); the leading tag keeps one token from being
// accepted as the other. `len` is signed in formatHours() form, since it travels as a JSON
// number and comes back re-serialized by the browser.
#include <optional>
#include <string>
#include <string_view>

#include "api/TokenSigner.hpp"

namespace aerie {

class SessionCredentials {
 public:
  struct Session {
    std::string username;
    std::string roomKey;
    std::string timeStamp;  // issue time, ISO 8601
    std::string start;      // ISO 8601, as requested or issued
    double lenHours = 0;
    std::string appKey;  // the key used: `cid`
    std::string realm;   // primary key of the realm
    std::string roomName;
  };

  explicit SessionCredentials(const TokenSigner& signer) : signer_(signer) {}

  static std::string roomKey(std::string_view realm, std::string_view roomName);
  // Shortest decimal that reads back as the same double (`24`, `0.5`), as JSON.stringify
  // writes it; the form `len` is signed in.
  static std::string formatHours(double hours);
  // The room name carried in a roomCred, or nullopt if the token is malformed.
  static std::optional<std::string> roomNameOf(std::string_view roomCred);

  std::string userCred(const Session& s) const;
  std::string roomCred(const Session& s) const;
  bool verifyUserCred(const Session& s, std::string_view token) const;
  bool verifyRoomCred(const Session& s, std::string_view token) const;

 private:
  const TokenSigner& signer_;
};

}  // namespace aerie
