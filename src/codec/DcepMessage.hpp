#pragma once
// The Data Channel Establishment Protocol (RFC 8832): DATA_CHANNEL_OPEN and DATA_CHANNEL_ACK,
// carried in SCTP user messages of PPID 50. parse() reads an OPEN or an ACK as a view over the
// caller's buffer (label and protocol point into it), checks every length and never throws;
// writeOpen/writeAck fill the caller's buffer.
#include <cstddef>
#include <cstdint>
#include <optional>
#include <span>
#include <string_view>

namespace aerie {

class DcepMessage {
 public:
  // SCTP payload protocol identifiers of WebRTC data channels (RFC 8831 section 8).
  enum Ppid : std::uint32_t {
    kDcep = 50,
    kString = 51,
    kBinaryPartial = 52,  // deprecated
    kBinary = 53,
    kStringPartial = 54,  // deprecated
    kStringEmpty = 56,
    kBinaryEmpty = 57,
  };
  enum class Type : std::uint8_t { Ack = 0x02, Open = 0x03 };
  // RFC 8832 section 5.1: the channel types (with 0x80 set: unordered).
  enum ChannelType : std::uint8_t {
    kReliable = 0x00,
    kPartialReliableRexmit = 0x01,
    kPartialReliableTimed = 0x02,
    kUnordered = 0x80,
  };
  static constexpr std::size_t kOpenHeader = 12;

  static std::optional<DcepMessage> parse(std::span<const std::uint8_t> data);

  Type type() const { return type_; }
  // OPEN only.
  std::uint8_t channelType() const { return channelType_; }
  bool ordered() const { return (channelType_ & kUnordered) == 0; }
  std::uint16_t priority() const { return priority_; }
  std::uint32_t reliabilityParameter() const { return reliability_; }
  std::string_view label() const { return label_; }
  std::string_view protocol() const { return protocol_; }

  // A reliable, ordered OPEN; 0 if `out` is too small.
  static std::size_t writeOpen(std::span<std::uint8_t> out, std::string_view label,
                               std::string_view protocol);
  static std::size_t writeAck(std::span<std::uint8_t> out);

 private:
  DcepMessage() = default;

  Type type_ = Type::Ack;
  std::uint8_t channelType_ = 0;
  std::uint16_t priority_ = 0;
  std::uint32_t reliability_ = 0;
  std::string_view label_;
  std::string_view protocol_;
};

}  // namespace aerie
