#include "codec/RespParser.hpp"

#include <charconv>

namespace aerie {
namespace {

enum class Step { Ok, Incomplete, Invalid };

struct Reader {
  std::string_view in;
  std::size_t pos = 0;
  std::size_t elements = 0;
  const RespParser::Bounds& bounds;

  // The line from pos to CRLF, without it.
  Step line(std::string_view& out) {
    const std::size_t end = in.find("\r\n", pos);
    if (end == std::string_view::npos) {
      return in.size() - pos > 64 * 1024 ? Step::Invalid : Step::Incomplete;
    }
    out = in.substr(pos, end - pos);
    pos = end + 2;
    return Step::Ok;
  }

  static bool integer(std::string_view s, std::int64_t& v) {
    if (s.empty()) return false;
    const auto r = std::from_chars(s.data(), s.data() + s.size(), v);
    return r.ec == std::errc() && r.ptr == s.data() + s.size();
  }

  // `len` bytes then CRLF.
  Step blob(std::int64_t len, std::string& out) {
    if (len < 0 || static_cast<std::uint64_t>(len) > bounds.maxBytes) return Step::Invalid;
    const auto n = static_cast<std::size_t>(len);
    if (in.size() - pos < n + 2) return Step::Incomplete;
    if (in.substr(pos + n, 2) != "\r\n") return Step::Invalid;
    out.assign(in.substr(pos, n));
    pos += n + 2;
    return Step::Ok;
  }

  Step value(RespValue& v, std::size_t depth) {
    if (pos >= in.size()) return Step::Incomplete;
    const char kind = in[pos++];
    std::string_view head;
    if (Step s = line(head); s != Step::Ok) return s;
    std::int64_t n = 0;
    switch (kind) {
      case '+':
        v.type = RespValue::Type::Simple;
        v.text.assign(head);
        return Step::Ok;
      case '-':
        v.type = RespValue::Type::Error;
        v.text.assign(head);
        return Step::Ok;
      case ':':
        v.type = RespValue::Type::Integer;
        return integer(head, v.integer) ? Step::Ok : Step::Invalid;
      case '_':
        v.type = RespValue::Type::Nil;
        return head.empty() ? Step::Ok : Step::Invalid;
      case '#':
        v.type = RespValue::Type::Boolean;
        if (head != "t" && head != "f") return Step::Invalid;
        v.integer = head == "t" ? 1 : 0;
        return Step::Ok;
      case ',':  // double and big number: kept as their text
      case '(':
        v.type = RespValue::Type::Bulk;
        v.text.assign(head);
        return head.empty() ? Step::Invalid : Step::Ok;
      case '$':
      case '=':
      case '!':
        if (!integer(head, n)) return Step::Invalid;
        if (n == -1 && kind == '$') {
          v.type = RespValue::Type::Nil;
          return Step::Ok;
        }
        v.type = kind == '!' ? RespValue::Type::Error : RespValue::Type::Bulk;
        return blob(n, v.text);
      case '*':
      case '~':
      case '>':
      case '%':
      case '|': {
        if (!integer(head, n)) return Step::Invalid;
        if (n == -1 && kind == '*') {
          v.type = RespValue::Type::Nil;
          return Step::Ok;
        }
        if (n < 0 || depth >= bounds.maxDepth) return Step::Invalid;
        const bool pairs = kind == '%' || kind == '|';
        const std::uint64_t count = static_cast<std::uint64_t>(n) * (pairs ? 2 : 1);
        // Each element takes at least 3 bytes: a count beyond what the bound allows is a lie.
        if (count > bounds.maxElements - elements || count > bounds.maxBytes / 3) return Step::Invalid;
        elements += static_cast<std::size_t>(count);
        if (kind == '|') {
          // An attribute describes the reply after it: read it, drop it, read the reply.
          RespValue ignored;
          ignored.type = RespValue::Type::Map;
          if (Step s = items(ignored, count, depth); s != Step::Ok) return s;
          return value(v, depth);
        }
        v.type = pairs ? RespValue::Type::Map : RespValue::Type::Array;
        return items(v, count, depth);
      }
      default:
        return Step::Invalid;
    }
  }

  Step items(RespValue& v, std::uint64_t count, std::size_t depth) {
    v.elements.clear();
    v.elements.reserve(static_cast<std::size_t>(count < 1024 ? count : 1024));
    for (std::uint64_t i = 0; i < count; ++i) {
      v.elements.emplace_back();
      if (Step s = value(v.elements.back(), depth + 1); s != Step::Ok) return s;
    }
    return Step::Ok;
  }
};

}  // namespace

RespParser::Result RespParser::parse(std::string_view in, RespValue& out, const Bounds& bounds) {
  Reader r{in.size() > bounds.maxBytes ? in.substr(0, bounds.maxBytes) : in, 0, 0, bounds};
  RespValue v;
  switch (r.value(v, 0)) {
    case Step::Ok:
      out = std::move(v);
      return {Status::Complete, r.pos};
    case Step::Incomplete:
      // A reply that does not fit in maxBytes never will.
      if (in.size() >= bounds.maxBytes) return {Status::Invalid, 0};
      return {Status::Incomplete, 0};
    case Step::Invalid:
      break;
  }
  return {Status::Invalid, 0};
}

}  // namespace aerie
