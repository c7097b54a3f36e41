#include "codec/StunMessage.hpp"

#include <cstring>

#include "core/Crypto.hpp"

namespace aerie::stun {
namespace {

std::uint16_t read16(std::string_view d, std::size_t at) {
  return static_cast<std::uint16_t>((static_cast<std::uint8_t>(d[at]) << 8) |
                                    static_cast<std::uint8_t>(d[at + 1]));
}
std::uint32_t read32(std::string_view d, std::size_t at) {
  return (static_cast<std::uint32_t>(read16(d, at)) << 16) | read16(d, at + 2);
}
void put16(std::string& out, std::uint16_t v) {
  out += static_cast<char>(v >> 8);
  out += static_cast<char>(v & 0xFF);
}
void put32(std::string& out, std::uint32_t v) {
  put16(out, static_cast<std::uint16_t>(v >> 16));
  put16(out, static_cast<std::uint16_t>(v & 0xFFFF));
}
void set16(std::string& out, std::size_t at, std::uint16_t v) {
  out[at] = static_cast<char>(v >> 8);
  out[at + 1] = static_cast<char>(v & 0xFF);
}

std::string header(std::uint16_t type, const std::array<std::uint8_t, 12>& tid) {
  std::string out;
  put16(out, type);
  put16(out, 0);  // length, set at the end
  put32(out, kMagicCookie);
  out.append(reinterpret_cast<const char*>(tid.data()), tid.size());
  return out;
}

void attribute(std::string& out, std::uint16_t type, std::string_view value) {
  put16(out, type);
  put16(out, static_cast<std::uint16_t>(value.size()));
  out += value;
  while (out.size() % 4) out += '\0';
}

void finish(std::string& out) {
  // FINGERPRINT last: the length must already count it (RFC 8489 section 14.7).
  set16(out, 2, static_cast<std::uint16_t>(out.size() - kHeaderSize + 8));
  std::uint32_t crc = StunCodec::crc32(out) ^ kFingerprintXor;
  std::string v;
  put32(v, crc);
  attribute(out, Fingerprint, v);
}

std::string addressValue(const Address& a, bool xored, const std::array<std::uint8_t, 12>& tid) {
  std::string v;
  v += '\0';
  v += a.ipv6 ? '\x02' : '\x01';
  std::uint16_t port = xored ? static_cast<std::uint16_t>(a.port ^ (kMagicCookie >> 16)) : a.port;
  put16(v, port);
  std::size_t n = a.ipv6 ? 16 : 4;
  std::array<std::uint8_t, 16> mask{0x21, 0x12, 0xA4, 0x42};
  std::memcpy(mask.data() + 4, tid.data(), 12);
  for (std::size_t i = 0; i < n; ++i) {
    v += static_cast<char>(xored ? (a.bytes[i] ^ mask[i]) : a.bytes[i]);
  }
  return v;
}

}  // namespace

const Attribute* Message::find(std::uint16_t type) const {
  for (const auto& a : attributes)
    if (a.type == type) return &a;
  return nullptr;
}

std::optional<Address> Message::xorMappedAddress() const {
  const Attribute* a = find(XorMappedAddress);
  if (!a || a->value.size() < 8) return std::nullopt;
  Address out;
  std::uint8_t family = static_cast<std::uint8_t>(a->value[1]);
  if (family == 0x02 && a->value.size() == 20) out.ipv6 = true;
  else if (family != 0x01 || a->value.size() != 8) return std::nullopt;
  out.port = static_cast<std::uint16_t>(read16(a->value, 2) ^ (kMagicCookie >> 16));
  std::array<std::uint8_t, 16> mask{0x21, 0x12, 0xA4, 0x42};
  std::memcpy(mask.data() + 4, transactionId.data(), 12);
  for (std::size_t i = 0; i < (out.ipv6 ? 16u : 4u); ++i) {
    out.bytes[i] = static_cast<std::uint8_t>(a->value[4 + i]) ^ mask[i];
  }
  return out;
}

bool Message::integrityValid(std::string_view key) const {
  const Attribute* mi = find(MessageIntegrity);
  if (!mi || mi->value.size() != 20) return false;
  // The MAC covers the message up to the attribute, with the length field counting up to
  // and including MESSAGE-INTEGRITY (RFC 8489 section 14.5).
  std::string covered(raw.substr(0, mi->offset));
  set16(covered, 2, static_cast<std::uint16_t>(mi->offset + 24 - kHeaderSize));
  return crypto::constantTimeEqual(crypto::hmacSha1(key, covered), mi->value);
}

bool StunCodec::looksLikeStun(std::string_view d) {
  return d.size() >= kHeaderSize && (static_cast<std::uint8_t>(d[0]) & 0xC0) == 0 &&
         read32(d, 4) == kMagicCookie;
}

std::optional<Message> StunCodec::parse(std::string_view d) {
  if (!looksLikeStun(d)) return std::nullopt;
  std::size_t length = read16(d, 2);
  if (length % 4 != 0 || kHeaderSize + length != d.size()) return std::nullopt;
  Message m;
  m.raw = d;
  std::uint16_t type = read16(d, 0);
  m.method = static_cast<std::uint16_t>((type & 0x000F) | ((type & 0x00E0) >> 1) | ((type & 0x3E00) >> 2));
  m.cls = static_cast<Class>(((type >> 4) & 1) | ((type >> 7) & 2));
  std::memcpy(m.transactionId.data(), d.data() + 8, 12);
  std::size_t at = kHeaderSize;
  while (at < d.size()) {
    if (d.size() - at < 4) return std::nullopt;
    Attribute a;
    a.type = read16(d, at);
    std::size_t len = read16(d, at + 2);
    std::size_t padded = (len + 3) & ~std::size_t{3};
    if (d.size() - at - 4 < padded) return std::nullopt;  // never trust the length field
    a.value = d.substr(at + 4, len);
    a.offset = at;
    if (a.type == Fingerprint) {
      // Must be last and cover everything before it.
      if (len != 4 || at + 8 != d.size()) return std::nullopt;
      m.fingerprintValid = (crc32(d.substr(0, at)) ^ kFingerprintXor) == read32(a.value, 0);
    }
    m.attributes.push_back(a);
    at += 4 + padded;
    if (m.attributes.size() > 64) return std::nullopt;
  }
  return m;
}

std::uint32_t StunCodec::crc32(std::string_view data) {
  static const auto table = [] {
    std::array<std::uint32_t, 256> t{};
    for (std::uint32_t i = 0; i < 256; ++i) {
      std::uint32_t c = i;
      for (int k = 0; k < 8; ++k) c = (c & 1) ? 0xEDB88320u ^ (c >> 1) : c >> 1;
      t[i] = c;
    }
    return t;
  }();
  std::uint32_t crc = 0xFFFFFFFFu;
  for (char ch : data) crc = table[(crc ^ static_cast<std::uint8_t>(ch)) & 0xFF] ^ (crc >> 8);
  return crc ^ 0xFFFFFFFFu;
}

std::uint16_t StunCodec::messageType(std::uint16_t method, Class cls) {
  // RFC 8489 section 5: class bits C1 (bit 8) and C0 (bit 4) interleaved with the method.
  auto c = static_cast<std::uint16_t>(cls);
  return static_cast<std::uint16_t>((method & 0x000F) | ((method & 0x0070) << 1) |
                                    ((method & 0x0F80) << 2) | ((c & 1) << 4) | ((c & 2) << 7));
}

std::string StunCodec::bindingSuccess(const std::array<std::uint8_t, 12>& tid, const Address& mapped) {
  std::string out = header(messageType(static_cast<std::uint16_t>(Method::Binding), Class::Success), tid);
  attribute(out, XorMappedAddress, addressValue(mapped, true, tid));
  attribute(out, MappedAddress, addressValue(mapped, false, tid));
  attribute(out, Software, "aerie");
  finish(out);
  return out;
}

std::string StunCodec::errorResponse(std::uint16_t method, const std::array<std::uint8_t, 12>& tid,
                                     int code, std::string_view reason,
                                     const std::vector<std::uint16_t>& unknown) {
  std::string out = header(messageType(method, Class::Error), tid);
  std::string v;
  put16(v, 0);
  v += static_cast<char>(code / 100);
  v += static_cast<char>(code % 100);
  v += reason;
  attribute(out, ErrorCode, v);
  if (!unknown.empty()) {
    std::string u;
    for (auto t : unknown) put16(u, t);
    attribute(out, UnknownAttributes, u);
  }
  finish(out);
  return out;
}

}  // namespace aerie::stun
