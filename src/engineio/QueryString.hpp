#pragma once
// Reads one parameter from a request target's query. Values are percent-decoded; no
// allocation beyond the result. Never throws.
#include <optional>
#include <string>
#include <string_view>

namespace aerie {

class QueryString {
 public:
  static std::string_view path(std::string_view target);
  static std::optional<std::string> get(std::string_view target, std::string_view name);
  static std::string percentDecode(std::string_view s, bool plusIsSpace);
};

}  // namespace aerie
