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

class SocketIoCodec {
 public:
  // `text` is what follows the Engine.IO `4` (message) type.
  static std::optional<SioPacket> parse(std::string_view text);
  // For `["message", "<string>"]` (what SkylinkJS' socket.send() emits) returns the string.
  // Anything else (other event names, non-string argument, bad JSON) gives nullopt.
  static std::optional<std::string> messageArgument(std::string_view eventData);
  // The full Engine.IO packet for the event `message` with `json` as its one string argument:
  // `42["message","..."]`. Non-ASCII is escaped as \uXXXX, so the packet is pure ASCII and
  // its length is the same in bytes and in UTF-16 units (Engine.IO 3 polling counts the latter).
  static std::string encodeMessage(std::string_view json);
};

}  // namespace aerie
