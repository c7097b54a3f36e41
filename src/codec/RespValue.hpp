#pragma once
// One reply from a Redis server, RESP2 or RESP3 (redis.io/docs/reference/protocol-spec),
// owned: Aerie's replies are small (a node id, a few counters), so copying beats views that
// would pin the read buffer.
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace aerie {

struct RespValue {
  enum class Type {
    Nil,     // RESP2 $-1 / *-1, RESP3 _
    Simple,  // +OK
    Error,   // -ERR ..., RESP3 !<len> (bulk error)
    Integer, // :42
    Bulk,    // $<len>, RESP3 =<len> (verbatim: "txt:" kept), ( big number as text, , double as text
    Boolean, // RESP3 #t / #f (in `integer`: 1 / 0)
    Array,   // *<n>, RESP3 ~ set, > push
    Map,     // RESP3 %<n>: `elements` holds key, value, key, value, ...
  };
  Type type = Type::Nil;
  std::string text;      // Simple, Error, Bulk
  std::int64_t integer = 0;
  std::vector<RespValue> elements;  // Array, Map

  bool isError() const { return type == Type::Error; }
  bool isNil() const { return type == Type::Nil; }
  // The text of a Simple or Bulk string; nullopt for anything else.
  std::optional<std::string_view> string() const {
    if (type == Type::Simple || type == Type::Bulk) return std::string_view(text);
    return std::nullopt;
  }
};

}  // namespace aerie
