#pragma once
// Reads one parameter from a request target's query (Engine.IO's EIO, transport, sid, j).
// Built on the API server's parser (signaling/ApiTarget). Never throws.
#include <optional>
#include <string>
#include <string_view>

namespace aerie {

class QueryString {
 public:
  static std::string_view path(std::string_view target);
  // The value, percent-decoded; a value whose escapes are malformed is returned as it is.
  static std::optional<std::string> get(std::string_view target, std::string_view name);
};

}  // namespace aerie
