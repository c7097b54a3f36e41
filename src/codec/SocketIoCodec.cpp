#include "codec/SocketIoCodec.hpp"

#include <boost/json/monotonic_resource.hpp>
#include <boost/json/parse.hpp>
#include <boost/json/serialize.hpp>
#include <boost/json/value.hpp>

namespace aerie {
namespace {

bool isDigit(char c) { return c >= '0' && c <= '9'; }

SioEvent eventOf(SioEventKind kind) { return SioEvent{kind, {}}; }

// Appends `s` as a JSON string literal, escaping every non-ASCII code point as \uXXXX
// (UTF-16 surrogate pairs above the BMP). Invalid UTF-8 becomes U+FFFD.
void appendAsciiJsonString(std::string& out, std::string_view s) {
  static constexpr char hex[] = "0123456789abcdef";
  auto appendU = [&out](unsigned cu) {
    out += "\\u";
    out += hex[(cu >> 12) & 0xF];
    out += hex[(cu >> 8) & 0xF];
    out += hex[(cu >> 4) & 0xF];
    out += hex[cu & 0xF];
  };
  out += '"';
  for (std::size_t i = 0; i < s.size();) {
    // Fast path: a run of printable ASCII other than '"' and '\\' goes in with one append
    // (a relayed message is almost entirely such runs).
    std::size_t run = i;
    while (run < s.size()) {
      const auto r = static_cast<unsigned char>(s[run]);
      if (r < 0x20 || r >= 0x7F || r == '"' || r == '\\') break;
      ++run;
    }
    if (run > i) {
      out.append(s.data() + i, run - i);
      i = run;
      continue;
    }
    auto c = static_cast<unsigned char>(s[i]);
    if (c < 0x80) {
      switch (c) {
        case '"': out += "\\\""; break;
        case '\\': out += "\\\\"; break;
        case '\n': out += "\\n"; break;
        case '\r': out += "\\r"; break;
        case '\t': out += "\\t"; break;
        default:
          if (c < 0x20 || c == 0x7F) appendU(c); else out += static_cast<char>(c);
      }
      ++i;
      continue;
    }
    // Decode one UTF-8 sequence with bounds and validity checks.
    unsigned cp = 0;
    std::size_t len = 0;
    if ((c & 0xE0) == 0xC0) { cp = c & 0x1F; len = 2; }
    else if ((c & 0xF0) == 0xE0) { cp = c & 0x0F; len = 3; }
    else if ((c & 0xF8) == 0xF0) { cp = c & 0x07; len = 4; }
    bool valid = len != 0 && i + len <= s.size();
    for (std::size_t k = 1; valid && k < len; ++k) {
      auto cc = static_cast<unsigned char>(s[i + k]);
      if ((cc & 0xC0) != 0x80) valid = false; else cp = (cp << 6) | (cc & 0x3F);
    }
    if (valid) {
      static constexpr unsigned minByLen[] = {0, 0, 0x80, 0x800, 0x10000};
      valid = cp >= minByLen[len] && cp <= 0x10FFFF && !(cp >= 0xD800 && cp <= 0xDFFF);
    }
    if (!valid) { appendU(0xFFFD); ++i; continue; }
    if (cp >= 0x10000) {
      cp -= 0x10000;
      appendU(0xD800 + (cp >> 10));
      appendU(0xDC00 + (cp & 0x3FF));
    } else {
      appendU(cp);
    }
    i += len;
  }
  out += '"';
}

}  // namespace

std::optional<SioPacket> SocketIoCodec::parse(std::string_view text) {
  if (text.empty()) return std::nullopt;
  SioPacket p;
  char t = text[0];
  if (t < '0' || t > '6') return std::nullopt;
  p.type = static_cast<SioType>(t);
  std::size_t i = 1;
  // Binary packets carry `<attachments>-` first; Skylink never sends them, we reject them.
  if (p.type == SioType::BinaryEvent || p.type == SioType::BinaryAck) return std::nullopt;
  if (i < text.size() && text[i] == '/') {
    std::size_t end = text.find(',', i);
    if (end == std::string_view::npos) {
      p.nsp = text.substr(i);
      i = text.size();
    } else {
      p.nsp = text.substr(i, end - i);
      i = end + 1;
    }
  }
  if (i < text.size() && isDigit(text[i])) {
    std::uint64_t id = 0;
    std::size_t digits = 0;
    while (i < text.size() && isDigit(text[i])) {
      if (++digits > 15) return std::nullopt;  // keep it exact in JavaScript numbers
      id = id * 10 + static_cast<unsigned>(text[i] - '0');
      ++i;
    }
    p.ackId = id;
  }
  p.data = text.substr(i);
  return p;
}

SioEvent SocketIoCodec::messageArgument(std::string_view eventData) {
  boost::system::error_code ec;
  boost::json::parse_options opt;
  // An object argument is a whole message: one level for the event array above the Hub's own
  // depth limit (Limits::maxJsonDepth), which it applies when it parses the message again.
  opt.max_depth = 64;
  // The DOM lives only in this call: a stack arena spares the allocator (larger frames spill
  // to the heap through the resource's upstream).
  unsigned char arena[4096];
  boost::json::monotonic_resource resource(arena, sizeof arena);
  boost::json::value v = boost::json::parse(eventData, ec, &resource, opt);
  if (ec) return eventOf(SioEventKind::Malformed);
  const auto* arr = v.if_array();
  if (!arr || arr->empty()) return eventOf(SioEventKind::Malformed);
  const auto* name = (*arr)[0].if_string();
  if (!name) return eventOf(SioEventKind::Malformed);
  if (*name != "message") return eventOf(SioEventKind::OtherEvent);
  if (arr->size() != 2) return eventOf(SioEventKind::BadArgument);
  const auto& arg = (*arr)[1];
  if (const auto* text = arg.if_string()) {
    return SioEvent{SioEventKind::Message, std::string(text->data(), text->size())};
  }
  if (arg.is_object()) return SioEvent{SioEventKind::Message, boost::json::serialize(arg)};
  return eventOf(SioEventKind::BadArgument);
}

std::string SocketIoCodec::encodeMessage(std::string_view json) {
  std::string out;
  out.reserve(json.size() + json.size() / 8 + 16);
  out += "42[\"message\",";
  appendAsciiJsonString(out, json);
  out += ']';
  return out;
}

}  // namespace aerie
