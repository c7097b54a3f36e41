#pragma once
// The server's own peer in an SFU room: the media server SkylinkJS calls "MCU". In a room whose
// realm has the media mode `sfu`, the Hub hands it every negotiation message the room's clients
// send (enter, welcome, offer, answer, candidate, answerAck, mediaInfoEvent, ...: to 'MCU', and
// for SkylinkJS 0.6.x also those to another member, whose downlink the media server answers as
// that member), and tells it who joins and leaves. It answers through the ServerPeerOutbox the
// Hub gives it. Both run on the room's loop; the Hub calls it synchronously and it must not
// call back into the Hub from inside a call other than through the outbox.
#include <boost/json/object.hpp>
#include <cstdint>
#include <string_view>

namespace aerie {

class ServerPeerOutbox {
 public:
  virtual ~ServerPeerOutbox() = default;
  // Sends `msg` to member `toSid` of room `roomKey`, as coming from `asMid` ("MCU", or a member
  // whose media the server forwards). The Hub stamps `rid` and `mid`. False if there is no such
  // member.
  virtual bool sendToMember(std::string_view roomKey, std::string_view toSid,
                            boost::json::object msg, std::string_view asMid) = 0;
};

// What a member told the server peer about itself when it joined (for `peersInRoom` and the
// forwarded `enter`).
struct ServerPeerMember {
  std::string_view sid;
  bool privileged = false;
};

class ServerPeer {
 public:
  virtual ~ServerPeer() = default;
  virtual void setOutbox(ServerPeerOutbox* outbox) = 0;
  virtual void onJoined(std::string_view roomKey, const ServerPeerMember& member) = 0;
  // A negotiation message from member `fromSid`, `mid`/`rid` already stamped with its identity.
  virtual void onMessage(std::string_view roomKey, std::string_view fromSid,
                         const boost::json::object& msg) = 0;
  virtual void onLeft(std::string_view roomKey, std::string_view sid) = 0;
  // The room no longer goes through the server (an auto room back to a mesh): everything of it
  // ends at once, without a message to anyone (the Hub tells the members).
  virtual void onRoomEnded(std::string_view /*roomKey*/) {}
  // The Hub's periodic tick (about once a second), for what the server peer defers.
  virtual void onTick(std::int64_t /*nowMs*/) {}
};

}  // namespace aerie
