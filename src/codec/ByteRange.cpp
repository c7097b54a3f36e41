#include "codec/ByteRange.hpp"

#include <limits>
#include <optional>

namespace aerie {
namespace {

bool isSpace(char c) { return c == ' ' || c == '\t'; }

std::string_view trim(std::string_view s) {
  while (!s.empty() && isSpace(s.front())) s.remove_prefix(1);
  while (!s.empty() && isSpace(s.back())) s.remove_suffix(1);
  return s;
}

// 1*DIGIT as a number; nullopt when empty, not all digits, or over 2^63 (a length no file has).
std::optional<std::uint64_t> number(std::string_view s) {
  if (s.empty()) return std::nullopt;
  constexpr std::uint64_t kMax = std::numeric_limits<std::int64_t>::max();
  std::uint64_t v = 0;
  for (char c : s) {
    if (c < '0' || c > '9') return std::nullopt;
    const auto digit = static_cast<std::uint64_t>(c - '0');
    if (v > (kMax - digit) / 10) return std::nullopt;
    v = v * 10 + digit;
  }
  return v;
}

bool unitIsBytes(std::string_view unit) {
  constexpr std::string_view kBytes = "bytes";
  if (unit.size() != kBytes.size()) return false;
  for (std::size_t i = 0; i < unit.size(); ++i) {
    const char c = unit[i] >= 'A' && unit[i] <= 'Z' ? static_cast<char>(unit[i] - 'A' + 'a') : unit[i];
    if (c != kBytes[i]) return false;
  }
  return true;
}

}  // namespace

ByteRange ByteRange::parse(std::string_view header, std::uint64_t size) {
  ByteRange whole;
  const auto eq = header.find('=');
  if (eq == std::string_view::npos || !unitIsBytes(trim(header.substr(0, eq)))) return whole;
  // A range-set may have empty elements (`bytes=0-1,`); more than one range: the whole file.
  std::string_view spec;
  std::size_t ranges = 0;
  std::string_view rest = header.substr(eq + 1);
  for (;;) {
    const auto comma = rest.find(',');
    const std::string_view element = trim(rest.substr(0, comma));
    if (!element.empty()) {
      spec = element;
      ++ranges;
    }
    if (comma == std::string_view::npos) break;
    rest.remove_prefix(comma + 1);
  }
  if (ranges != 1) return whole;
  const auto dash = spec.find('-');
  if (dash == std::string_view::npos) return whole;
  const std::string_view from = spec.substr(0, dash);
  const std::string_view to = spec.substr(dash + 1);
  ByteRange r;
  if (from.empty()) {  // suffix: the last n bytes
    const auto n = number(to);
    if (!n) return whole;
    if (*n == 0 || size == 0) {
      r.kind = Kind::Unsatisfiable;
      return r;
    }
    r.kind = Kind::Partial;
    r.first = *n >= size ? 0 : size - *n;
    r.last = size - 1;
    return r;
  }
  const auto first = number(from);
  if (!first) return whole;
  std::optional<std::uint64_t> last;
  if (!to.empty()) {
    last = number(to);
    if (!last || *last < *first) return whole;  // invalid: ignored, as RFC 9110 allows
  }
  if (*first >= size) {
    r.kind = Kind::Unsatisfiable;
    return r;
  }
  r.kind = Kind::Partial;
  r.first = *first;
  r.last = last && *last < size ? *last : size - 1;
  return r;
}

}  // namespace aerie
