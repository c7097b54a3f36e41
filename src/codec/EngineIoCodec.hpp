#pragma once
// Engine.IO packets and polling payloads, versions 3 and 4 (see shared/notes/engine-io.md and
// the engine.io-protocol repository). Pure functions; decoding never throws on wire data.
#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

namespace aerie {

enum class EioVersion : int { V3 = 3, V4 = 4 };

enum class EioType : char {
  Open = '0', Close = '1', Ping = '2', Pong = '3', Message = '4', Upgrade = '5', Noop = '6'
};

class EngineIoCodec {
 public:
  // Splits a POSTed polling body into packets. False when the payload is malformed (a wrong
  // length in v3 drops the session, as the reference server does) or has more than
  // `maxPackets` packets.
  static bool decodePayload(EioVersion v, std::string_view body, std::vector<std::string>& out,
                            std::size_t maxPackets);
  // Joins packets into one polling response body.
  static std::string encodePayload(EioVersion v,
                                   const std::vector<std::shared_ptr<const std::string>>& packets);
  // Length of a UTF-8 string in UTF-16 code units, as JavaScript counts; -1 if invalid UTF-8.
  static long utf16Length(std::string_view utf8);
  // The open packet: `0{"sid":...,"upgrades":[...],"pingInterval":...,"pingTimeout":...}`.
  static std::string openPacket(EioVersion v, std::string_view sid, bool offerWebSocket,
                                std::uint32_t pingIntervalMs, std::uint32_t pingTimeoutMs,
                                std::size_t maxPayload);
};

}  // namespace aerie
