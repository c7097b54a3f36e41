#include "codec/RtpPacket.hpp"

namespace aerie {
namespace {

std::uint16_t get16(const std::uint8_t* p) { return static_cast<std::uint16_t>(p[0] << 8 | p[1]); }

std::uint32_t get32(const std::uint8_t* p) {
  return static_cast<std::uint32_t>(p[0]) << 24 | static_cast<std::uint32_t>(p[1]) << 16 |
         static_cast<std::uint32_t>(p[2]) << 8 | p[3];
}

void put16(std::uint8_t* p, std::uint16_t v) {
  p[0] = static_cast<std::uint8_t>(v >> 8);
  p[1] = static_cast<std::uint8_t>(v);
}

void put32(std::uint8_t* p, std::uint32_t v) {
  p[0] = static_cast<std::uint8_t>(v >> 24);
  p[1] = static_cast<std::uint8_t>(v >> 16);
  p[2] = static_cast<std::uint8_t>(v >> 8);
  p[3] = static_cast<std::uint8_t>(v);
}

constexpr std::uint16_t kOneByteProfile = 0xBEDE;
constexpr std::uint16_t kTwoByteProfileMask = 0xFFF0;  // 0x100 followed by 4 application bits
constexpr std::uint16_t kTwoByteProfile = 0x1000;

}  // namespace

bool RtpPacket::looksLikeRtcp(std::span<const std::uint8_t> data) {
  return data.size() >= 2 && (data[0] & 0xC0) == 0x80 && data[1] >= 192 && data[1] <= 223;
}

std::optional<RtpPacket> RtpPacket::parse(std::span<std::uint8_t> data) {
  if (data.size() < kFixedHeader || (data[0] >> 6) != 2) return std::nullopt;
  RtpPacket p(data);
  std::size_t at = kFixedHeader + 4 * p.csrcCount();
  if (at > data.size()) return std::nullopt;
  if (p.hasExtension()) {
    if (at + 4 > data.size()) return std::nullopt;
    p.extensionProfile_ = get16(&data[at]);
    const std::size_t words = get16(&data[at + 2]);
    p.extensionOffset_ = at + 4;
    p.extensionSize_ = 4 * words;
    at = p.extensionOffset_ + p.extensionSize_;
    if (at > data.size()) return std::nullopt;
  }
  p.headerSize_ = at;
  std::size_t rest = data.size() - at;
  if ((data[0] & 0x20) != 0) {
    // The last byte counts the padding, itself included (RFC 3550 5.1).
    if (rest == 0) return std::nullopt;
    const std::size_t padding = data[data.size() - 1];
    if (padding == 0 || padding > rest) return std::nullopt;
    p.paddingSize_ = padding;
    rest -= padding;
  }
  p.payloadSize_ = rest;
  return p;
}

std::uint16_t RtpPacket::sequenceNumber() const { return get16(&data_[2]); }
std::uint32_t RtpPacket::timestamp() const { return get32(&data_[4]); }
std::uint32_t RtpPacket::ssrc() const { return get32(&data_[8]); }
std::uint32_t RtpPacket::csrc(std::size_t i) const { return get32(&data_[kFixedHeader + 4 * i]); }

std::optional<std::span<const std::uint8_t>> RtpPacket::extension(std::uint8_t id) const {
  if (!hasExtension() || id == 0) return std::nullopt;
  const bool oneByte = extensionProfile_ == kOneByteProfile;
  const bool twoByte = (extensionProfile_ & kTwoByteProfileMask) == kTwoByteProfile;
  if (!oneByte && !twoByte) return std::nullopt;
  if (oneByte && id > 14) return std::nullopt;
  const std::uint8_t* p = &data_[extensionOffset_];
  const std::size_t size = extensionSize_;
  std::size_t at = 0;
  while (at < size) {
    if (p[at] == 0) {  // padding between elements
      ++at;
      continue;
    }
    std::uint8_t elementId = 0;
    std::size_t length = 0;
    if (oneByte) {
      elementId = p[at] >> 4;
      if (elementId == 15) return std::nullopt;  // "stop parsing" (RFC 8285 4.2)
      length = (p[at] & 0x0F) + 1u;
      at += 1;
    } else {
      if (at + 2 > size) return std::nullopt;
      elementId = p[at];
      length = p[at + 1];
      at += 2;
    }
    if (at + length > size) return std::nullopt;
    if (elementId == id) return std::span<const std::uint8_t>(p + at, length);
    at += length;
  }
  return std::nullopt;
}

void RtpPacket::setSequenceNumber(std::uint16_t v) { put16(&data_[2], v); }
void RtpPacket::setTimestamp(std::uint32_t v) { put32(&data_[4], v); }
void RtpPacket::setSsrc(std::uint32_t v) { put32(&data_[8], v); }
void RtpPacket::setPayloadType(std::uint8_t pt) {
  data_[1] = static_cast<std::uint8_t>((data_[1] & 0x80) | (pt & 0x7F));
}
void RtpPacket::setMarker(bool m) {
  data_[1] = static_cast<std::uint8_t>((data_[1] & 0x7F) | (m ? 0x80 : 0));
}

}  // namespace aerie
