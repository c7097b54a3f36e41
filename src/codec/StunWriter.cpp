#include "codec/StunWriter.hpp"

#include <cstring>

#include "core/Crypto.hpp"

namespace aerie::stun {
namespace {

void put16(std::uint8_t* at, std::uint16_t v) {
  at[0] = static_cast<std::uint8_t>(v >> 8);
  at[1] = static_cast<std::uint8_t>(v);
}
void put32(std::uint8_t* at, std::uint32_t v) {
  put16(at, static_cast<std::uint16_t>(v >> 16));
  put16(at + 2, static_cast<std::uint16_t>(v));
}

}  // namespace

StunWriter::StunWriter(std::span<std::uint8_t> buffer, std::uint16_t method, Class cls,
                       const std::array<std::uint8_t, 12>& transactionId)
    : buffer_(buffer) {
  if (buffer_.size() < kHeaderSize) {
    ok_ = false;
    return;
  }
  put16(buffer_.data(), StunCodec::messageType(method, cls));
  put16(buffer_.data() + 2, 0);
  put32(buffer_.data() + 4, kMagicCookie);
  std::memcpy(buffer_.data() + 8, transactionId.data(), transactionId.size());
  size_ = kHeaderSize;
}

std::uint8_t* StunWriter::reserve(std::uint16_t type, std::size_t length) {
  const std::size_t padded = (length + 3) & ~std::size_t{3};
  if (!ok_ || length > 0xFFFF || buffer_.size() - size_ < 4 + padded) {
    ok_ = false;
    return nullptr;
  }
  std::uint8_t* at = buffer_.data() + size_;
  put16(at, type);
  put16(at + 2, static_cast<std::uint16_t>(length));
  std::memset(at + 4 + length, 0, padded - length);
  size_ += 4 + padded;
  // The length field always counts what is written so far, which is what MESSAGE-INTEGRITY
  // and FINGERPRINT need when they are computed (sections 14.5, 14.7).
  setLength(size_ - kHeaderSize);
  return at + 4;
}

void StunWriter::setLength(std::size_t bodyBytes) {
  put16(buffer_.data() + 2, static_cast<std::uint16_t>(bodyBytes));
}

void StunWriter::add(std::uint16_t type, std::string_view value) {
  std::uint8_t* v = reserve(type, value.size());
  // An empty attribute (USE-CANDIDATE) may come with a null data(): nothing to copy.
  if (v != nullptr && !value.empty()) std::memcpy(v, value.data(), value.size());
}

void StunWriter::addUint32(std::uint16_t type, std::uint32_t value) {
  if (std::uint8_t* v = reserve(type, 4)) put32(v, value);
}

void StunWriter::addXorMappedAddress(const Address& a) {
  // RFC 8489 section 14.2: the port is XORed with the cookie's top half, an IPv4 address with
  // the cookie, an IPv6 address with the cookie followed by the transaction ID.
  const std::size_t n = a.ipv6 ? 16 : 4;
  std::uint8_t* v = reserve(XorMappedAddress, 4 + n);
  if (!v) return;
  v[0] = 0;
  v[1] = a.ipv6 ? 0x02 : 0x01;
  put16(v + 2, static_cast<std::uint16_t>(a.port ^ (kMagicCookie >> 16)));
  const std::uint8_t* mask = buffer_.data() + 4;  // the cookie, then the transaction ID
  for (std::size_t i = 0; i < n; ++i) v[4 + i] = a.bytes[i] ^ mask[i];
}

void StunWriter::addMessageIntegrity(std::string_view key) {
  const std::size_t covered = size_;
  std::uint8_t* v = reserve(MessageIntegrity, 20);
  if (!v) return;
  std::string_view text(reinterpret_cast<const char*>(buffer_.data()), covered);
  if (!crypto::hmacSha1(key, text, std::span<std::uint8_t, 20>(v, 20))) ok_ = false;
}

void StunWriter::addFingerprint() {
  const std::size_t covered = size_;
  std::uint8_t* v = reserve(Fingerprint, 4);
  if (!v) return;
  std::string_view text(reinterpret_cast<const char*>(buffer_.data()), covered);
  put32(v, StunCodec::crc32(text) ^ kFingerprintXor);
}

std::span<const std::uint8_t> StunWriter::bytes() const {
  if (!ok_) return {};
  return buffer_.first(size_);
}

}  // namespace aerie::stun
