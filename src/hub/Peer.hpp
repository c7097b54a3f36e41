#pragma once
#include <cstdint>
#include <memory>
#include <optional>
#include <string>

#include "core/Limits.hpp"
#include "hub/MessageRules.hpp"
#include "hub/PeerBridge.hpp"
#include "hub/PeerSink.hpp"
#include "hub/TokenBucket.hpp"

namespace aerie {

// A connection's place in the protocol. A closed connection is not a state: the Hub forgets it.
enum class PeerState {
  AwaitingJoin,  // connected (or left with `bye`), must send joinRoom within Limits::joinTimeoutMs
  InRoom,        // got inRoom; has a sid and a room
  Bridged,       // cluster mode: its room is on another node, its messages go there unread
};
const char* toString(PeerState s);

// What the rate limiter says about one message.
enum class RateVerdict {
  Pass,
  Drop,         // over budget, already warned recently
  DropAndWarn,  // over budget: drop and send redirect warning `fastmsg`
  Disconnect,   // over budget for Limits::overBudgetDisconnectMs: close the socket
};
const char* toString(RateVerdict v);

// Who joined, as the Hub decided at inRoom.
struct Membership {
  std::string sid;
  std::string roomKey;
  std::string realm;
  bool privileged = false;
  bool autoIntroduce = true;
};

// One socket.io connection as the Hub sees it: its sink, its protocol state, and its two token
// buckets (protocol spec section 4: the rate limit is per socket, so it survives a rejoin).
class Peer {
 public:
  using ConnId = std::uint64_t;

  // `limits` must outlive the peer (the Hub owns both).
  Peer(ConnId id, std::shared_ptr<PeerSink> sink, const Limits& limits, std::int64_t nowMs);

  ConnId id() const { return id_; }
  PeerSink& sink() { return *sink_; }
  const std::shared_ptr<PeerSink>& sinkPtr() const { return sink_; }
  PeerState state() const { return state_; }
  // Valid in InRoom only.
  const Membership& membership() const { return membership_; }
  const std::string& sid() const { return membership_.sid; }
  const std::string& roomKey() const { return membership_.roomKey; }
  // Since when the peer has been waiting for its joinRoom (connect or last leave).
  std::int64_t awaitingSinceMs() const { return awaitingSinceMs_; }

  void enterRoom(Membership membership);
  // Back to AwaitingJoin; the join timer starts again so a socket cannot idle after `bye`.
  void leaveRoom(std::int64_t nowMs);

  // Bridged from now on (from AwaitingJoin): every message goes to `bridge`.
  void startBridge(std::unique_ptr<PeerBridge> bridge);
  PeerBridge* bridge() { return bridge_.get(); }

  // Charges one token of `bucket` for a message arriving at `nowMs`.
  RateVerdict charge(RateBucket bucket, std::int64_t nowMs);

 private:
  void setState(PeerState next);

  ConnId id_;
  std::shared_ptr<PeerSink> sink_;
  const Limits& limits_;
  PeerState state_ = PeerState::AwaitingJoin;
  Membership membership_;
  std::int64_t awaitingSinceMs_;
  TokenBucket targeted_;
  TokenBucket broadcast_;
  // An over-budget streak: from the first dropped message until a gap of
  // Limits::overBudgetGapMs without drops. A single accepted message does not end it, since a
  // flooding sender gets one through at every refill.
  std::optional<std::int64_t> overBudgetSinceMs_;
  std::int64_t lastDropMs_ = 0;
  std::optional<std::int64_t> lastWarnMs_;
  std::unique_ptr<PeerBridge> bridge_;  // Bridged only; goes (and closes) with the peer
};

}  // namespace aerie
