#include "api/RoomName.hpp"

#include <cstdint>

namespace aerie {
namespace {

// Decodes one UTF-8 sequence at `i` (RFC 3629 section 4); advances `i`. nullopt if invalid.
std::optional<std::uint32_t> nextCodePoint(std::string_view s, std::size_t& i) {
  const auto b0 = static_cast<std::uint8_t>(s[i]);
  std::size_t len = 0;
  std::uint32_t cp = 0;
  std::uint32_t min = 0;
  if (b0 < 0x80) {
    ++i;
    return b0;
  } else if ((b0 & 0xE0) == 0xC0) {
    len = 2, cp = b0 & 0x1F, min = 0x80;
  } else if ((b0 & 0xF0) == 0xE0) {
    len = 3, cp = b0 & 0x0F, min = 0x800;
  } else if ((b0 & 0xF8) == 0xF0) {
    len = 4, cp = b0 & 0x07, min = 0x10000;
  } else {
    return std::nullopt;
  }
  if (i + len > s.size()) return std::nullopt;
  for (std::size_t k = 1; k < len; ++k) {
    const auto b = static_cast<std::uint8_t>(s[i + k]);
    if ((b & 0xC0) != 0x80) return std::nullopt;
    cp = (cp << 6) | (b & 0x3F);
  }
  if (cp < min || cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF)) return std::nullopt;
  i += len;
  return cp;
}

}  // namespace

std::optional<std::string> RoomName::problem(std::string_view name, std::size_t maxBytes) {
  if (name.empty()) return "room name is empty";
  if (name.size() > maxBytes) {
    return "room name is longer than " + std::to_string(maxBytes) + " bytes of UTF-8";
  }
  for (std::size_t i = 0; i < name.size();) {
    const auto cp = nextCodePoint(name, i);
    if (!cp) return "room name is not valid UTF-8";
    if (*cp == 0) return "room name contains NUL";
    if (*cp < 0x20 || (*cp >= 0x7F && *cp <= 0x9F)) {
      return "room name contains a control character";
    }
    if (*cp == '/' || *cp == '?' || *cp == '#') {
      return "room name contains '/', '?' or '#', which SkylinkJS cannot put in a URL path";
    }
  }
  return std::nullopt;
}

}  // namespace aerie
