#pragma once
// Parser of the API request target (protocol spec section 2):
//   /api/{appKey}/{room}[/{startISO}/{durationHours}][?cred=...&rand=...]
// Never throws on wire data.
#include <optional>
#include <string>
#include <string_view>

namespace aerie {

struct ApiTarget {
  enum class Status {
    Ok,
    NotFound,     // not an /api/{appKey}/{room}... path at all
    BadSegments,  // 3 or more than 4 segments: most likely a room name with '/'
    BadEscape,    // a malformed %XX escape
  };
  Status status = Status::NotFound;
  // Percent-decoded once; not yet validated.
  std::string appKey;
  std::string room;
  std::optional<std::string> start;     // credentials form only
  std::optional<std::string> duration;  // as written, e.g. "2" or "0.5"
  std::optional<std::string> cred;      // from the query, decoded

  static ApiTarget parse(std::string_view target);
};

}  // namespace aerie
