#pragma once
#include <cstdint>
#include <string>

#include <boost/json/object.hpp>
#include <boost/json/array.hpp>

namespace aerie {

// What a verified `joinRoom` grants.
struct JoinGrant {
  bool ok = false;
  // When !ok: the `redirect` to send (`reason`: credentialError, oldTimeStamp, notStart,
  // expired, keyFailed, ...) and its human text.
  std::string reason;
  std::string info;
  // When !ok in cluster mode: the room is served by the node at bridgeHost:bridgePort. The Hub
  // bridges the peer there if it has a BridgeOpener, and sends the redirect above otherwise.
  std::string bridgeHost;
  std::uint16_t bridgePort = 0;
  // When ok:
  std::string roomKey;        // == joinRoom.rid, the Hub's room id (realm-scoped)
  std::string realm;          // primary app key of the realm
  std::string appKey;         // the key used (may be an alias)
  std::string roomName;
  std::uint32_t maxPeers = 0;  // peers per room for this realm
  bool privileged = false;
  bool sfu = false;  // the realm's media mode is sfu (the room is served by the media plane)
  bool autoMedia = false;  // the realm's media mode is auto: mesh, SFU past autoSfuPeers
  std::uint32_t autoSfuPeers = 0;  // the realm's switch point (App::autoSfuPeers); 0: Limits'
  boost::json::array iceServers;  // `pc_config.iceServers` for inRoom
};

// Verifies the credentials of a `joinRoom` message (userCred/roomCred signed by the API
// server) and says which room it may enter. Called on the Hub's thread.
class JoinAuthorizer {
 public:
  virtual ~JoinAuthorizer() = default;
  virtual JoinGrant authorize(const boost::json::object& joinRoom, std::int64_t nowMs) = 0;
};

}  // namespace aerie
