#pragma once
// Request targets: the path, query parameters (Engine.IO's EIO, transport, sid, j; the API's
// cred; the admin API's filters), percent-decoding. Never throws.
#include <optional>
#include <string>
#include <string_view>

namespace aerie {

class QueryString {
 public:
  static std::string_view path(std::string_view target);
  // The value, percent-decoded; a value whose escapes are malformed is returned as it is.
  static std::optional<std::string> get(std::string_view target, std::string_view name);
  // Decodes %XX escapes once. '+' stays '+': SkylinkJS may paste a base64 `cred` unencoded,
  // and the path never used '+' for space. nullopt on a malformed escape.
  static std::optional<std::string> percentDecode(std::string_view s);
  // The raw (undecoded) value of the first `name=` parameter of a query string.
  static std::optional<std::string_view> param(std::string_view query, std::string_view name);
};

}  // namespace aerie
