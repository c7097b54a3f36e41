#pragma once
// An RTP packet (RFC 3550 section 5.1) as a view over the caller's buffer: the fixed header,
// CSRCs, the header extension with its RFC 8285 elements (one-byte and two-byte forms), the
// payload and the padding. parse() checks every length against the buffer and never throws;
// the setters rewrite the header in place (an SFU's per-subscriber SSRC, sequence and
// timestamp), so forwarding needs no copy of the packet beyond the one it already has.
#include <cstddef>
#include <cstdint>
#include <optional>
#include <span>

namespace aerie {

class RtpPacket {
 public:
  static constexpr std::size_t kFixedHeader = 12;

  // RFC 5761 / RFC 7983: the second byte of an RTCP packet is 192..223 (its packet type), of
  // an RTP packet a payload type with the marker bit; on one port, these tell them apart.
  static bool looksLikeRtcp(std::span<const std::uint8_t> data);

  static std::optional<RtpPacket> parse(std::span<std::uint8_t> data);

  bool marker() const { return (data_[1] & 0x80) != 0; }
  std::uint8_t payloadType() const { return data_[1] & 0x7F; }
  std::uint16_t sequenceNumber() const;
  std::uint32_t timestamp() const;
  std::uint32_t ssrc() const;
  std::size_t csrcCount() const { return data_[0] & 0x0F; }
  std::uint32_t csrc(std::size_t i) const;  // i < csrcCount()

  bool hasExtension() const { return (data_[0] & 0x10) != 0; }
  std::uint16_t extensionProfile() const { return extensionProfile_; }
  // The data of RFC 8285 element `id` (1..14 in the one-byte form, 1..255 in the two-byte
  // form); nullopt if absent, or if the extension is in neither form.
  std::optional<std::span<const std::uint8_t>> extension(std::uint8_t id) const;

  std::span<const std::uint8_t> payload() const { return data_.subspan(headerSize_, payloadSize_); }
  std::size_t headerSize() const { return headerSize_; }
  std::size_t paddingSize() const { return paddingSize_; }
  std::span<const std::uint8_t> bytes() const { return data_; }

  void setSequenceNumber(std::uint16_t v);
  void setTimestamp(std::uint32_t v);
  void setSsrc(std::uint32_t v);
  void setPayloadType(std::uint8_t pt);  // keeps the marker bit
  void setMarker(bool m);

 private:
  explicit RtpPacket(std::span<std::uint8_t> data) : data_(data) {}

  std::span<std::uint8_t> data_;
  std::size_t headerSize_ = kFixedHeader;  // fixed header, CSRCs and the extension
  std::size_t extensionOffset_ = 0;        // of the extension's data (after its 4-byte header)
  std::size_t extensionSize_ = 0;
  std::uint16_t extensionProfile_ = 0;
  std::size_t payloadSize_ = 0;
  std::size_t paddingSize_ = 0;
};

}  // namespace aerie
