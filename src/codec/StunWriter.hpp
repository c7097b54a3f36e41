#pragma once
// Writes one STUN message (RFC 8489) into the caller's buffer, without allocating: the header,
// then attributes in the order added, then MESSAGE-INTEGRITY and FINGERPRINT, which must come
// last and in that order (sections 14.5 and 14.7). A message that does not fit leaves ok()
// false and bytes() empty; nothing is written past the buffer.
#include <array>
#include <cstddef>
#include <cstdint>
#include <span>
#include <string_view>

#include "codec/StunMessage.hpp"

namespace aerie::stun {

class StunWriter {
 public:
  StunWriter(std::span<std::uint8_t> buffer, std::uint16_t method, Class cls,
             const std::array<std::uint8_t, 12>& transactionId);

  void add(std::uint16_t type, std::string_view value);
  void addUint32(std::uint16_t type, std::uint32_t value);
  void addXorMappedAddress(const Address& address);
  // HMAC-SHA1 keyed with the short-term password (RFC 8489 section 9.1.1).
  void addMessageIntegrity(std::string_view key);
  void addFingerprint();

  bool ok() const { return ok_; }
  // The message so far with its length field set; empty once something did not fit.
  std::span<const std::uint8_t> bytes() const;

 private:
  // Room for an attribute of `length` bytes (padded to 4); its value's first byte, or null.
  std::uint8_t* reserve(std::uint16_t type, std::size_t length);
  void setLength(std::size_t bodyBytes);

  std::span<std::uint8_t> buffer_;
  std::size_t size_ = 0;
  bool ok_ = true;
};

}  // namespace aerie::stun
