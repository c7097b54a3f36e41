#include "hub/Peer.hpp"

#include <utility>

namespace aerie {

const char* toString(PeerState s) {
  switch (s) {
    case PeerState::AwaitingJoin:
      return "awaitingJoin";
    case PeerState::InRoom:
      return "inRoom";
    case PeerState::Bridged:
      return "bridged";
  }
  return "?";
}

const char* toString(RateVerdict v) {
  switch (v) {
    case RateVerdict::Pass:
      return "pass";
    case RateVerdict::Drop:
      return "drop";
    case RateVerdict::DropAndWarn:
      return "dropAndWarn";
    case RateVerdict::Disconnect:
      return "disconnect";
  }
  return "?";
}

Peer::Peer(ConnId id, std::shared_ptr<PeerSink> sink, const Limits& limits, std::int64_t nowMs)
    : id_(id),
      sink_(std::move(sink)),
      limits_(limits),
      awaitingSinceMs_(nowMs),
      targeted_(limits.targetedBurst, limits.targetedPerSecond, nowMs),
      broadcast_(limits.broadcastBurst, limits.broadcastPerSecond, nowMs) {}

void Peer::setState(PeerState next) {
  state_ = next;
}

void Peer::enterRoom(Membership membership) {
  membership_ = std::move(membership);
  setState(PeerState::InRoom);
}

void Peer::leaveRoom(std::int64_t nowMs) {
  membership_ = Membership{};
  awaitingSinceMs_ = nowMs;
  setState(PeerState::AwaitingJoin);
}

void Peer::startBridge(std::unique_ptr<PeerBridge> bridge) {
  bridge_ = std::move(bridge);
  setState(PeerState::Bridged);
}

RateVerdict Peer::charge(RateBucket bucket, std::int64_t nowMs) {
  if (bucket == RateBucket::None) return RateVerdict::Pass;
  const bool quietSinceLastDrop =
      overBudgetSinceMs_ &&
      nowMs - lastDropMs_ > static_cast<std::int64_t>(limits_.overBudgetGapMs);
  if (quietSinceLastDrop) overBudgetSinceMs_.reset();

  TokenBucket& tokens = bucket == RateBucket::Targeted ? targeted_ : broadcast_;
  if (tokens.take(nowMs)) return RateVerdict::Pass;

  if (!overBudgetSinceMs_) overBudgetSinceMs_ = nowMs;
  lastDropMs_ = nowMs;
  if (nowMs - *overBudgetSinceMs_ >= static_cast<std::int64_t>(limits_.overBudgetDisconnectMs)) {
    return RateVerdict::Disconnect;
  }
  if (!lastWarnMs_ ||
      nowMs - *lastWarnMs_ >= static_cast<std::int64_t>(limits_.fastmsgWarnIntervalMs)) {
    lastWarnMs_ = nowMs;
    return RateVerdict::DropAndWarn;
  }
  return RateVerdict::Drop;
}

}  // namespace aerie
