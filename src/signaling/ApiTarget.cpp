#include "signaling/ApiTarget.hpp"

#include <vector>

namespace aerie {
namespace {

int hexValue(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

}  // namespace

std::optional<std::string> ApiTarget::percentDecode(std::string_view s) {
  std::string out;
  out.reserve(s.size());
  for (std::size_t i = 0; i < s.size(); ++i) {
    if (s[i] != '%') {
      out += s[i];
      continue;
    }
    if (i + 2 >= s.size()) return std::nullopt;
    const int hi = hexValue(s[i + 1]);
    const int lo = hexValue(s[i + 2]);
    if (hi < 0 || lo < 0) return std::nullopt;
    out += static_cast<char>(hi * 16 + lo);
    i += 2;
  }
  return out;
}

std::optional<std::string_view> ApiTarget::queryParam(std::string_view query,
                                                      std::string_view name) {
  while (!query.empty()) {
    const auto amp = query.find('&');
    const std::string_view pair = query.substr(0, amp);
    const auto eq = pair.find('=');
    if (pair.substr(0, eq) == name) {
      return eq == std::string_view::npos ? std::string_view() : pair.substr(eq + 1);
    }
    if (amp == std::string_view::npos) break;
    query.remove_prefix(amp + 1);
  }
  return std::nullopt;
}

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
    auto d = percentDecode(s);
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
    if (auto raw = queryParam(query, "cred")) {
      auto d = percentDecode(*raw);
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
