#pragma once
// socket.io packets (protocol v4/v5 share this text form) inside an Engine.IO message packet.
// Parsers never throw on wire data.
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace aerie {

enum class SioType : char {
  Connect = '0', Disconnect = '1', Event = '2', Ack = '3', Error = '4',
  BinaryEvent = '5', BinaryAck = '6'
};

struct SioPacket {
  SioType type = SioType::Event;
  std::string_view nsp = "/";
  std::optional<std::uint64_t> ackId;
  std::string_view data;  // JSON text after the header, may be empty
};

// What an event packet's data is to Skylink. Nothing but Message is usable; the rest is counted.
enum class SioEventKind {
  Message,      // `message` with a JSON-string or object argument: `json` holds the message
  OtherEvent,   // an event name other than `message`
  BadArgument,  // `message` whose argument is neither a string nor an object, or not exactly one
  Malformed,    // not a JSON array with a string event name
};

struct SioEvent {
  SioEventKind kind = SioEventKind::Malformed;
  std::string json;
};

class SocketIoCodec {
 public:
  // `text` is what follows the Engine.IO `4` (message) type.
  static std::optional<SioPacket> parse(std::string_view text);
  // The Skylink message inside a socket.io event. SkylinkJS 0.6+ sends
  // `["message", "<JSON string>"]`; 0.5.x sends its bundled `group` (and may send any message)
  // as `["message", {...}]`, an object argument. Both give Message with the object's JSON text.
  static SioEvent messageArgument(std::string_view eventData);
  // The full Engine.IO packet for the event `message` with `json` as its one string argument:
  // `42["message","..."]`. Non-ASCII is escaped as \uXXXX, so the packet is pure ASCII and
  // its length is the same in bytes and in UTF-16 units (Engine.IO 3 polling counts the latter).
  static std::string encodeMessage(std::string_view json);
};

}  // namespace aerie
