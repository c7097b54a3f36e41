#pragma once
// ISO 8601 / RFC 3339 date-times as SkylinkJS sends them (`Date.prototype.toISOString()`).
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace aerie {

class IsoTime {
 public:
  // Accepts `YYYY-MM-DDTHH:MM[:SS[.fraction]]` followed by `Z` or an offset `±HH:MM` / `±HHMM`.
  // A time without zone is rejected: JavaScript reads it as local time, which the server
  // cannot know. Returns milliseconds since the Unix epoch (fraction truncated to ms).
  // Never throws on malformed input.
  static std::optional<std::int64_t> parseMs(std::string_view text);
  // `YYYY-MM-DDTHH:MM:SS.mmmZ`, the form toISOString() produces, for years 0..9999.
  static std::string format(std::int64_t ms);
};

}  // namespace aerie
