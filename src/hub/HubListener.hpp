#pragma once
// What the Hub tells the layer above about peer sessions, for usage records. Called on the
// Hub's thread, synchronously, after the Hub's own state has changed. Implementations must
// not call back into the Hub and must not throw (the Hub swallows and counts an exception as
// an internal error, but the event is then lost).
#include <cstdint>
#include <string>

namespace aerie {

// One peer's stay in one room, from inRoom to its leave.
struct PeerSession {
  std::string realm;    // primary key of the realm
  std::string appKey;   // the key the peer joined with (may be an alias)
  std::string roomName;
  std::string roomKey;
  std::string sid;
  std::int64_t joinedAtMs = 0;
  std::int64_t leftAtMs = 0;  // 0 until the peer leaves
};

class HubListener {
 public:
  virtual ~HubListener() = default;
  virtual void onPeerJoined(const PeerSession& session) = 0;
  // `bye`, socket closed, kicked, rejoined elsewhere, or timed out: every join gets one leave,
  // except for peers still in a room when the Hub is destroyed.
  virtual void onPeerLeft(const PeerSession& session) = 0;
};

}  // namespace aerie
