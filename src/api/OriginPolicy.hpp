#pragma once
// Which page origins may use an app key: the key's `domains` list against the request's
// Origin (or, for same-origin requests, its Referer or Host).
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace aerie {

class OriginPolicy {
 public:
  // `hostOrOrigin` is an Origin header (`https://a.example.com:8443`, RFC 6454 section 7)
  // or a bare `host[:port]` (a Host header). Scheme and port are ignored; the hostname is
  // compared case-insensitively. Patterns:
  //   `example.com`    that host only
  //   `*.example.com`  any subdomain at any depth, not example.com itself
  //   `*`              anything, including the opaque origin `null`
  //   `localhost`      also 127.0.0.1 and ::1 (a page on a loopback address is a developer's)
  // Malformed input never matches. Punycode (xn--) names compare as given.
  static bool allows(const std::vector<std::string>& domains, std::string_view hostOrOrigin);

  // The lowercase hostname of an Origin or `host[:port]` (IPv6 without brackets, one
  // trailing dot dropped), or nullopt if malformed or `null`.
  static std::optional<std::string> hostOf(std::string_view hostOrOrigin);
  // The origin part (`scheme://authority`) of an absolute URL such as a Referer, or
  // nullopt if it is not one.
  static std::optional<std::string_view> originOfUrl(std::string_view url);
};

}  // namespace aerie
