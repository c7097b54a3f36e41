#pragma once
// Counters of the Hub, for the admin API and metrics. Every map key comes from a fixed set of
// names (message types of MessageRules, the enums below, redirect reasons), never from wire
// data, so the maps stay small whatever clients send.
#include <cstdint>
#include <map>
#include <string>
#include <utility>

#include "core/Histogram.hpp"

namespace aerie {

// Why the Hub dropped a client message (data plane: drop and count, never throw).
enum class DropReason {
  Malformed,          // not JSON, too deep, not an object, or no string `type`
  UnknownType,        // not in MessageRules (includes server-only types a client forged)
  UnknownConnection,  // message for a connection the Hub no longer knows
  NotJoined,          // sent before inRoom
  NotPrivileged,      // getPeers from a key without isPrivileged
  MissingField,
  WrongType,
  TooLarge,   // userInfo/userData above Limits::maxUserDataBytes
  BadTarget,  // target not in the sender's room, or the sender itself
  RateLimited,
  NotGroupable,   // a group entry of a type clients never batch
  InternalError,  // an exception caught at the Hub's boundary
  OtherEvent,        // a socket.io event other than `message` (Skylink speaks only `message`)
  BadEventArgument,  // a `message` event whose argument is neither a JSON string nor an object
};

inline const char* toString(DropReason r) {
  switch (r) {
    case DropReason::Malformed:
      return "malformed";
    case DropReason::UnknownType:
      return "unknownType";
    case DropReason::UnknownConnection:
      return "unknownConnection";
    case DropReason::NotJoined:
      return "notJoined";
    case DropReason::NotPrivileged:
      return "notPrivileged";
    case DropReason::MissingField:
      return "missingField";
    case DropReason::WrongType:
      return "wrongType";
    case DropReason::TooLarge:
      return "tooLarge";
    case DropReason::BadTarget:
      return "badTarget";
    case DropReason::RateLimited:
      return "rateLimited";
    case DropReason::NotGroupable:
      return "notGroupable";
    case DropReason::InternalError:
      return "internalError";
    case DropReason::OtherEvent:
      return "otherEvent";
    case DropReason::BadEventArgument:
      return "badEventArgument";
  }
  return "?";
}

// Why the Hub closed a connection itself.
enum class CloseReason { JoinTimeout, OverBudget, Kicked, Moved };

inline const char* toString(CloseReason r) {
  switch (r) {
    case CloseReason::JoinTimeout:
      return "joinTimeout";
    case CloseReason::OverBudget:
      return "overBudget";
    case CloseReason::Kicked:
      return "kicked";
    case CloseReason::Moved:
      return "moved";
  }
  return "?";
}

// Counters by name; looked up by string_view on the message path without building a string.
using CounterMap = std::map<std::string, std::uint64_t, std::less<>>;

struct HubStats {
  std::uint64_t connections = 0;   // open sockets known to the Hub
  std::uint64_t peersInRooms = 0;  // connections that got inRoom and did not leave
  std::uint64_t rooms = 0;
  std::uint64_t handOffs = 0;  // joins handed to the shard of their room (counted where they left)
  std::uint64_t peersBridged = 0;  // cluster mode: sockets here whose room is on another node
  std::uint64_t bridgesOpened = 0;  // joins bridged to another node, ever
  CounterMap messagesIn;   // by type; group entries count too
  CounterMap messagesOut;  // by type, one per receiver
  CounterMap dropped;      // by DropReason
  CounterMap redirects;    // by reason (locked, roomFull, fastmsg, ...)
  CounterMap closed;       // by CloseReason
  // joinRoom handled → inRoom sent, in µs, successful joins only (the Hub's own work: credential
  // checks and room bookkeeping; the wait in the loop's queue before it is not included).
  Histogram joinLatency;

  // Adds another shard's counters and gauges.
  void merge(const HubStats& other) {
    connections += other.connections;
    peersInRooms += other.peersInRooms;
    rooms += other.rooms;
    handOffs += other.handOffs;
    peersBridged += other.peersBridged;
    bridgesOpened += other.bridgesOpened;
    const std::pair<CounterMap*, const CounterMap*> maps[] = {
        {&messagesIn, &other.messagesIn}, {&messagesOut, &other.messagesOut},
        {&dropped, &other.dropped},       {&redirects, &other.redirects},
        {&closed, &other.closed}};
    for (const auto& [mine, theirs] : maps) {
      for (const auto& [key, n] : *theirs) (*mine)[key] += n;
    }
    joinLatency.merge(other.joinLatency);
  }
};

}  // namespace aerie
