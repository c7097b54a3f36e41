#include "api/OriginPolicy.hpp"

#include <algorithm>

namespace aerie {
namespace {

char lower(char c) {
  return c >= 'A' && c <= 'Z' ? static_cast<char>(c - 'A' + 'a') : c;
}

bool isAlpha(char c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
}
bool isDigit(char c) {
  return c >= '0' && c <= '9';
}
bool isHex(char c) {
  return isDigit(c) || (lower(c) >= 'a' && lower(c) <= 'f');
}

// RFC 3986 section 3.1.
bool validScheme(std::string_view s) {
  if (s.empty() || !isAlpha(s[0])) return false;
  return std::all_of(s.begin(), s.end(), [](char c) {
    return isAlpha(c) || isDigit(c) || c == '+' || c == '-' || c == '.';
  });
}

bool validPort(std::string_view p) {
  if (p.empty() || p.size() > 5) return false;
  unsigned v = 0;
  for (char c : p) {
    if (!isDigit(c)) return false;
    v = v * 10 + static_cast<unsigned>(c - '0');
  }
  return v <= 65535;
}

bool validIpv6(std::string_view h) {
  if (h.find(':') == std::string_view::npos) return false;
  return std::all_of(h.begin(), h.end(), [](char c) { return isHex(c) || c == ':' || c == '.'; });
}

// Letters, digits, `-` and `_` in non-empty dot-separated labels (DNS names and IPv4).
std::optional<std::string> normalizedName(std::string_view h) {
  if (!h.empty() && h.back() == '.') h.remove_suffix(1);
  if (h.empty() || h.size() > 253) return std::nullopt;
  std::string out;
  out.reserve(h.size());
  char prev = '.';
  for (char c : h) {
    if (c == '.') {
      if (prev == '.') return std::nullopt;
    } else if (!isAlpha(c) && !isDigit(c) && c != '-' && c != '_') {
      return std::nullopt;
    }
    out += lower(c);
    prev = c;
  }
  return out;
}

std::optional<std::string> hostOfAuthority(std::string_view a) {
  if (a.empty()) return std::nullopt;
  if (a.front() == '[') {
    const auto close = a.find(']');
    if (close == std::string_view::npos) return std::nullopt;
    const std::string_view ip = a.substr(1, close - 1);
    const std::string_view rest = a.substr(close + 1);
    if (!validIpv6(ip)) return std::nullopt;
    if (!rest.empty() && (rest.front() != ':' || !validPort(rest.substr(1)))) return std::nullopt;
    std::string out(ip);
    std::transform(out.begin(), out.end(), out.begin(), lower);
    return out;
  }
  const auto colon = a.find(':');
  if (colon != std::string_view::npos && a.find(':', colon + 1) != std::string_view::npos) {
    // Only an unbracketed IPv6 literal has two colons; a Host header never carries one
    // that way, but an admin may write `::1` in a domains list.
    if (!validIpv6(a)) return std::nullopt;
    std::string out(a);
    std::transform(out.begin(), out.end(), out.begin(), lower);
    return out;
  }
  if (colon != std::string_view::npos && !validPort(a.substr(colon + 1))) return std::nullopt;
  return normalizedName(a.substr(0, colon));
}

bool isLoopback(std::string_view host) {
  return host == "localhost" || host == "127.0.0.1" || host == "::1";
}

bool matches(std::string_view pattern, std::string_view host) {
  if (pattern.size() > 2 && pattern.substr(0, 2) == "*.") {
    const auto suffix = normalizedName(pattern.substr(2));
    if (!suffix) return false;
    return host.size() > suffix->size() + 1 && host.ends_with(*suffix) &&
           host[host.size() - suffix->size() - 1] == '.';
  }
  // Patterns may be written as origins (`https://example.com`) or with a port: same rules.
  const auto exact = OriginPolicy::hostOf(pattern);
  if (!exact) return false;
  if (*exact == "localhost") return isLoopback(host);
  return *exact == host;
}

}  // namespace

std::optional<std::string> OriginPolicy::hostOf(std::string_view s) {
  if (s == "null") return std::nullopt;
  const auto sep = s.find("://");
  if (sep == std::string_view::npos) return hostOfAuthority(s);
  if (!validScheme(s.substr(0, sep))) return std::nullopt;
  const std::string_view authority = s.substr(sep + 3);
  // An Origin is scheme and authority only (RFC 6454 section 6.2): no path, user or query.
  if (authority.find_first_of("/?#@\\") != std::string_view::npos) return std::nullopt;
  return hostOfAuthority(authority);
}

std::optional<std::string_view> OriginPolicy::originOfUrl(std::string_view url) {
  const auto sep = url.find("://");
  if (sep == std::string_view::npos || !validScheme(url.substr(0, sep))) return std::nullopt;
  const auto end = url.find_first_of("/?#", sep + 3);
  return url.substr(0, end);
}

bool OriginPolicy::allows(const std::vector<std::string>& domains, std::string_view hostOrOrigin) {
  const bool any = std::find(domains.begin(), domains.end(), "*") != domains.end();
  // Sandboxed iframes and file:// pages send `Origin: null` (RFC 6454 section 7.3); it
  // names no one.
  if (hostOrOrigin == "null") return any;
  const auto host = hostOf(hostOrOrigin);
  if (!host) return false;
  if (any) return true;
  return std::any_of(domains.begin(), domains.end(),
                     [&](const std::string& p) { return matches(p, *host); });
}

}  // namespace aerie
