// The frames the generator sends and reads, byte for byte what bench/lib/proto.mjs builds:
// Engine.IO 3 / socket.io text packets as socket.io-client 1.4.8 puts them on a WebSocket
// (`42["message","<JSON string>"]`), the Skylink messages of SkylinkJS 0.6.37 with synthetic SDP.
#pragma once

#include <boost/json/object.hpp>
#include <boost/json/value.hpp>

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace loadgen::wire {

// socket.io event `message` with one JSON-string argument: 42["message","<json, escaped>"].
std::string sioFrame(std::string_view json);
std::string sioFrame(const boost::json::value& msg);

enum class Kind {
  Pong,        // "3"
  Open,        // "0{...}"
  Connect,     // "40"
  Message,     // 42["message","{...}"] with an object inside
  Unexpected,  // anything else: another packet type, another event, bad JSON
};

struct Parsed {
  Kind kind = Kind::Unexpected;
  boost::json::object message;  // Kind::Message
  int pingIntervalMs = 25000;   // Kind::Open
};

// Never throws: what cannot be read is Kind::Unexpected.
Parsed parse(std::string_view text);

// encodeURIComponent, as SkylinkJS builds the API path from the room name.
std::string encodeUriComponent(std::string_view s);

// Skylink messages (field order as proto.mjs, so the JSON text is the same).
boost::json::object enter(double weight);
boost::json::object welcome(double weight, std::string_view target);
boost::json::object offer(std::string_view target, std::string_view sdp);
boost::json::object answer(std::string_view target, std::string_view sdp);
boost::json::object bye();
// joinRoom as SkylinkJS 0.6.37 builds it from the API reply.
boost::json::object joinRoomFromApi(const boost::json::object& session, std::string_view appKey);
// The reference server has no API server: the room travels in joinRoom as `rid`.
boost::json::object joinRoomPlain(std::string_view room, std::string_view uid);

// Relay-path frames, built without a JSON DOM. `stampMs` goes into the message so the receiver
// can tell the relay latency.
std::string candidateFrame(std::string_view target, std::uint64_t i, double stampMs);
std::string publicChatFrame(double stampMs);

// The stamp carried by a candidate (`bench-ts=`) or chat (`\"ts\":`) frame; nullopt if none.
std::optional<double> frameTimestamp(std::string_view text);

}  // namespace loadgen::wire
