#include "api/ApiTarget.hpp"

#include <vector>

#include "codec/QueryString.hpp"

namespace aerie {
ApiTarget ApiTarget::parse(std::string_view target) {
  ApiTarget t;
  const auto q = target.find('?');
  const std::string_view path = target.substr(0, q);
  const std::string_view query =
      q == std::string_view::npos ? std::string_view() : target.substr(q + 1);

  constexpr std::string_view kPrefix = "/api/";
  if (!path.starts_with(kPrefix)) return t;  // NotFound
  std::vector<std::string_view> segments;
  for (std::string_view rest = path.substr(kPrefix.size());;) {
    const auto slash = rest.find('/');
    segments.push_back(rest.substr(0, slash));
    if (slash == std::string_view::npos) break;
    rest.remove_prefix(slash + 1);
  }
  if (segments.size() < 2 || segments[0].empty()) return t;  // NotFound
  if (segments.size() != 2 && segments.size() != 4) {
    t.status = Status::BadSegments;
    return t;
  }

  std::vector<std::string> decoded;
  for (auto s : segments) {
    auto d = QueryString::percentDecode(s);
    if (!d) {
      t.status = Status::BadEscape;
      return t;
    }
    decoded.push_back(std::move(*d));
  }
  t.appKey = std::move(decoded[0]);
  t.room = std::move(decoded[1]);
  if (decoded.size() == 4) {
    t.start = std::move(decoded[2]);
    t.duration = std::move(decoded[3]);
    if (auto raw = QueryString::param(query, "cred")) {
      auto d = QueryString::percentDecode(*raw);
      if (!d) {
        t.status = Status::BadEscape;
        return t;
      }
      t.cred = std::move(*d);
    }
  }
  t.status = Status::Ok;
  return t;
}

}  // namespace aerie
