#include "codec/EngineIoCodec.hpp"

namespace aerie {
namespace {

// engine.io-client 1.x (bundled by SkylinkJS 0.6.x) UTF-8-encodes each packet into a string of
// byte-valued characters before measuring it, and the browser then sends that string as UTF-8
// again. Undo the second encoding when the packet consists of such characters only and they
// form valid UTF-8 (a real Latin-1 text rarely does).
std::string undoByteStringEncoding(std::string packet) {
  std::string bytes;
  bool sawHigh = false;
  for (std::size_t i = 0; i < packet.size(); ++i) {
    auto c = static_cast<unsigned char>(packet[i]);
    if (c < 0x80) { bytes += static_cast<char>(c); continue; }
    if ((c == 0xC2 || c == 0xC3) && i + 1 < packet.size()) {
      auto c2 = static_cast<unsigned char>(packet[i + 1]);
      if ((c2 & 0xC0) != 0x80) return packet;
      bytes += static_cast<char>(((c & 0x03) << 6) | (c2 & 0x3F));
      sawHigh = true;
      ++i;
      continue;
    }
    return packet;  // a code point above U+00FF: not a byte string
  }
  if (!sawHigh || EngineIoCodec::utf16Length(bytes) < 0) return packet;
  return bytes;
}

}  // namespace

long EngineIoCodec::utf16Length(std::string_view s) {
  long units = 0;
  for (std::size_t i = 0; i < s.size();) {
    auto c = static_cast<unsigned char>(s[i]);
    std::size_t len = c < 0x80 ? 1 : (c & 0xE0) == 0xC0 ? 2 : (c & 0xF0) == 0xE0 ? 3
                                     : (c & 0xF8) == 0xF0 ? 4 : 0;
    if (len == 0 || i + len > s.size()) return -1;
    for (std::size_t k = 1; k < len; ++k)
      if ((static_cast<unsigned char>(s[i + k]) & 0xC0) != 0x80) return -1;
    units += len == 4 ? 2 : 1;
    i += len;
  }
  return units;
}

bool EngineIoCodec::decodePayload(EioVersion v, std::string_view body,
                                  std::vector<std::string>& out, std::size_t maxPackets) {
  out.clear();
  if (body.empty()) return false;
  if (v == EioVersion::V4) {
    std::size_t start = 0;
    while (true) {
      if (out.size() >= maxPackets) return false;
      std::size_t end = body.find('\x1e', start);
      std::string_view packet = body.substr(start, end == std::string_view::npos ? body.size() - start : end - start);
      if (packet.empty()) return false;
      out.emplace_back(packet);
      if (end == std::string_view::npos) return true;
      start = end + 1;
    }
  }
  // Version 3: `<length>:<packet>` repeated; length in UTF-16 code units.
  std::size_t i = 0;
  while (i < body.size()) {
    if (out.size() >= maxPackets) return false;
    std::size_t length = 0, digits = 0;
    while (i < body.size() && body[i] >= '0' && body[i] <= '9') {
      if (++digits > 9) return false;
      length = length * 10 + static_cast<std::size_t>(body[i] - '0');
      ++i;
    }
    if (digits == 0 || i >= body.size() || body[i] != ':' || length == 0) return false;
    ++i;
    // Walk `length` UTF-16 units forward.
    std::size_t start = i, units = 0;
    while (units < length) {
      if (i >= body.size()) return false;
      auto c = static_cast<unsigned char>(body[i]);
      std::size_t len = c < 0x80 ? 1 : (c & 0xE0) == 0xC0 ? 2 : (c & 0xF0) == 0xE0 ? 3
                                       : (c & 0xF8) == 0xF0 ? 4 : 0;
      if (len == 0 || i + len > body.size()) return false;
      units += len == 4 ? 2 : 1;
      i += len;
    }
    if (units != length) return false;  // the length split a surrogate pair
    std::string_view packet = body.substr(start, i - start);
    if (packet[0] == 'b') return false;  // base64 binary packets: never sent by Skylink
    out.push_back(undoByteStringEncoding(std::string(packet)));
  }
  return !out.empty();
}

std::string EngineIoCodec::encodePayload(
    EioVersion v, const std::vector<std::shared_ptr<const std::string>>& packets) {
  std::string body;
  std::size_t total = 0;
  for (const auto& p : packets) total += p->size() + 12;
  body.reserve(total);
  bool first = true;
  for (const auto& p : packets) {
    if (v == EioVersion::V4) {
      if (!first) body += '\x1e';
    } else {
      long units = utf16Length(*p);
      body += std::to_string(units < 0 ? static_cast<long>(p->size()) : units);
      body += ':';
    }
    body += *p;
    first = false;
  }
  return body;
}

std::string EngineIoCodec::openPacket(EioVersion v, std::string_view sid, bool offerWebSocket,
                                      std::uint32_t pingIntervalMs, std::uint32_t pingTimeoutMs,
                                      std::size_t maxPayload) {
  std::string out = "0{\"sid\":\"";
  out += sid;  // our sids are base64url: no escaping needed
  out += "\",\"upgrades\":";
  out += offerWebSocket ? "[\"websocket\"]" : "[]";
  out += ",\"pingInterval\":" + std::to_string(pingIntervalMs);
  out += ",\"pingTimeout\":" + std::to_string(pingTimeoutMs);
  if (v == EioVersion::V4) out += ",\"maxPayload\":" + std::to_string(maxPayload);
  out += '}';
  return out;
}

}  // namespace aerie
