#pragma once
// STUN messages (RFC 8489): a view parser that checks every length against the buffer and
// never throws, and an encoder for the responses aerie sends.
#include <array>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace aerie::stun {

constexpr std::uint32_t kMagicCookie = 0x2112A442;
constexpr std::size_t kHeaderSize = 20;
constexpr std::uint32_t kFingerprintXor = 0x5354554E;  // RFC 8489 section 14.7

enum class Method : std::uint16_t { Binding = 0x001 };
enum class Class : std::uint8_t { Request = 0, Indication = 1, Success = 2, Error = 3 };

enum Attr : std::uint16_t {
  MappedAddress = 0x0001,
  Username = 0x0006,
  MessageIntegrity = 0x0008,
  ErrorCode = 0x0009,
  UnknownAttributes = 0x000A,
  XorMappedAddress = 0x0020,
  Priority = 0x0024,      // ICE (RFC 8445 section 16.1)
  UseCandidate = 0x0025,  // ICE: the controlling agent nominates this pair
  Software = 0x8022,
  Fingerprint = 0x8028,
  IceControlled = 0x8029,
  IceControlling = 0x802A,
};

struct Attribute {
  std::uint16_t type = 0;
  std::string_view value;
  std::size_t offset = 0;  // of the attribute header within the message
};

struct Address {
  bool ipv6 = false;
  std::array<std::uint8_t, 16> bytes{};  // first 4 used for IPv4
  std::uint16_t port = 0;
};

struct Message {
  std::uint16_t method = 0;
  Class cls = Class::Request;
  std::array<std::uint8_t, 12> transactionId{};
  std::vector<Attribute> attributes;
  std::string_view raw;  // the whole message
  bool fingerprintValid = true;  // false when a FINGERPRINT is present and wrong

  const Attribute* find(std::uint16_t type) const;
  std::optional<Address> xorMappedAddress() const;
  // MESSAGE-INTEGRITY with a short-term credential (the key is the password, RFC 8489 9.1.1).
  bool integrityValid(std::string_view key) const;
};

class StunCodec {
 public:
  // Cheap classifier (RFC 7983 demultiplexing: first byte 0..3, magic cookie at offset 4).
  static bool looksLikeStun(std::string_view data);
  static std::optional<Message> parse(std::string_view data);
  static std::uint32_t crc32(std::string_view data);
  // The 16-bit message type of a method and class (RFC 8489 section 5).
  static std::uint16_t messageType(std::uint16_t method, Class cls);

  // Binding success response with XOR-MAPPED-ADDRESS, MAPPED-ADDRESS (RFC 3489 clients),
  // SOFTWARE and FINGERPRINT.
  static std::string bindingSuccess(const std::array<std::uint8_t, 12>& transactionId,
                                    const Address& mapped);
  // Error response (e.g. 400 Bad Request, 420 Unknown Attribute) with FINGERPRINT.
  static std::string errorResponse(std::uint16_t method,
                                   const std::array<std::uint8_t, 12>& transactionId, int code,
                                   std::string_view reason,
                                   const std::vector<std::uint16_t>& unknown = {});
};

}  // namespace aerie::stun
