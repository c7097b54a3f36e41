#pragma once
// The server side of the RFC 6455 opening handshake, given the request's header values.
#include <optional>
#include <string>
#include <string_view>

namespace aerie {

class WsHandshake {
 public:
  enum class Result { Ok, BadVersion, BadKey };

  // Checks Sec-WebSocket-Version (must be 13) and Sec-WebSocket-Key (base64 of 16 bytes).
  static Result check(std::string_view version, std::string_view key);
  // Sec-WebSocket-Accept for a key: base64(SHA-1(key + GUID)).
  static std::string acceptFor(std::string_view key);
  // The whole `101 Switching Protocols` response; no extension and no subprotocol is chosen.
  static std::string response(std::string_view key);
  // The refusal for a failed check: 426 with the supported version, or 400.
  static std::string refusal(Result r);
};

}  // namespace aerie
