#include "codec/RtcpPacket.hpp"

namespace aerie {

std::optional<RtcpPacket> RtcpPacket::first(std::span<const std::uint8_t> data) {
  if (data.size() < 4 || (data[0] >> 6) != 2) return std::nullopt;
  const std::size_t size = 4 * (static_cast<std::size_t>(data[2] << 8 | data[3]) + 1);
  if (size > data.size()) return std::nullopt;
  std::size_t bodyEnd = size;
  if ((data[0] & 0x20) != 0) {
    const std::size_t padding = data[size - 1];
    if (padding == 0 || padding > size - 4) return std::nullopt;
    bodyEnd -= padding;
  }
  return RtcpPacket(data.first(size), data.subspan(4, bodyEnd - 4));
}

bool RtcpPacket::validCompound(std::span<const std::uint8_t> data) {
  // RFC 3550 A.2 wants a report first; reduced-size RTCP (RFC 5506), which browsers send,
  // may start with feedback: any of SR..PSFB may come first.
  if (data.size() < 2 || data[1] < SenderReport || data[1] > PayloadFeedback) return false;
  std::size_t at = 0;
  while (at < data.size()) {
    auto p = first(data.subspan(at));
    if (!p) return false;
    const bool last = at + p->size() == data.size();
    if (!last && (data[at] & 0x20) != 0) return false;
    at += p->size();
  }
  return true;
}

std::optional<std::uint32_t> RtcpPacket::senderSsrc() const {
  switch (type()) {
    case SenderReport:
    case ReceiverReport:
    case TransportFeedback:
    case PayloadFeedback:
      if (body_.size() >= 4) return word(body_.data());
      return std::nullopt;
    default:
      return std::nullopt;
  }
}

std::optional<std::uint32_t> RtcpPacket::mediaSsrc() const {
  if ((type() != TransportFeedback && type() != PayloadFeedback) || body_.size() < 8) return std::nullopt;
  return word(body_.data() + 4);
}

std::optional<RtcpSenderInfo> RtcpPacket::senderInfo() const {
  if (type() != SenderReport || body_.size() < 24) return std::nullopt;
  const std::uint8_t* p = body_.data() + 4;
  RtcpSenderInfo info;
  info.ntpTime = static_cast<std::uint64_t>(word(p)) << 32 | word(p + 4);
  info.rtpTimestamp = word(p + 8);
  info.packetCount = word(p + 12);
  info.octetCount = word(p + 16);
  return info;
}

std::optional<RtcpReportBlock> RtcpPacket::reportBlock(std::size_t i) const {
  std::size_t offset = 0;
  if (type() == SenderReport) {
    offset = 24;
  } else if (type() == ReceiverReport) {
    offset = 4;
  } else {
    return std::nullopt;
  }
  offset += 24 * i;
  if (i >= count() || offset + 24 > body_.size()) return std::nullopt;
  const std::uint8_t* p = body_.data() + offset;
  RtcpReportBlock b;
  b.ssrc = word(p);
  b.fractionLost = p[4];
  std::uint32_t lost = static_cast<std::uint32_t>(p[5]) << 16 | static_cast<std::uint32_t>(p[6]) << 8 | p[7];
  if (lost & 0x800000u) lost |= 0xFF000000u;  // sign-extend the 24 bits
  b.cumulativeLost = static_cast<std::int32_t>(lost);
  b.highestSequence = word(p + 8);
  b.jitter = word(p + 12);
  b.lastSenderReport = word(p + 16);
  b.delaySinceLast = word(p + 20);
  return b;
}

std::size_t RtcpPacket::firEntries() const {
  if (type() != PayloadFeedback || count() != kFir || body_.size() < 8) return 0;
  return (body_.size() - 8) / 8;
}

std::optional<std::pair<std::uint32_t, std::uint8_t>> RtcpPacket::firEntry(std::size_t i) const {
  if (i >= firEntries()) return std::nullopt;
  const std::uint8_t* p = body_.data() + 8 + 8 * i;
  return std::make_pair(word(p), p[4]);
}

std::optional<RtcpPacket::Remb> RtcpPacket::remb() const {
  if (type() != PayloadFeedback || count() != kApplicationLayer || body_.size() < 16) return std::nullopt;
  const std::uint8_t* p = body_.data() + 8;
  if (p[0] != 'R' || p[1] != 'E' || p[2] != 'M' || p[3] != 'B') return std::nullopt;
  Remb r;
  r.ssrcCount = p[4];
  if (body_.size() < 16 + 4 * r.ssrcCount) return std::nullopt;
  const unsigned exponent = p[5] >> 2;
  const std::uint64_t mantissa = static_cast<std::uint64_t>(p[5] & 0x03) << 16 | static_cast<std::uint64_t>(p[6]) << 8 | p[7];
  if (exponent > 46) return std::nullopt;  // beyond any real link; keeps the shift defined
  r.bitrate = mantissa << exponent;
  return r;
}

}  // namespace aerie
