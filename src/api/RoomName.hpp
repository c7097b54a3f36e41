#pragma once
// Rules for room names (protocol spec section 2).
#include <cstddef>
#include <optional>
#include <string>
#include <string_view>

namespace aerie {

class RoomName {
 public:
  // nullopt if `name` (already percent-decoded) is a valid room name: 1..maxBytes bytes of
  // valid UTF-8 (RFC 3629: no overlong forms, no surrogates), no control characters (C0,
  // DEL, C1), no NUL, and none of `/ ? #`, which would break the path SkylinkJS builds.
  // Otherwise a sentence naming the rule broken, for the `info` of the error reply.
  static std::optional<std::string> problem(std::string_view name, std::size_t maxBytes);
};

}  // namespace aerie
