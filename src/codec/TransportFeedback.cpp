#include "codec/TransportFeedback.hpp"

namespace aerie {

std::int32_t TransportFeedback::referenceTime() const {
  const std::uint32_t raw = static_cast<std::uint32_t>(body_[12]) << 16 | static_cast<std::uint32_t>(body_[13]) << 8 | body_[14];
  return (raw & 0x800000u) != 0 ? static_cast<std::int32_t>(raw) - (1 << 24) : static_cast<std::int32_t>(raw);
}

std::size_t TransportFeedback::statusesIn(std::uint16_t chunk) {
  if ((chunk & 0x8000) == 0) return chunk & 0x1FFF;  // run length
  return (chunk & 0x4000) == 0 ? 14 : 7;               // status vector: one-bit or two-bit symbols
}

unsigned TransportFeedback::symbolOf(std::uint16_t chunk, std::size_t k) {
  if ((chunk & 0x8000) == 0) return (chunk >> 13) & 0x3u;
  if ((chunk & 0x4000) == 0) return (chunk >> (13 - k)) & 0x1u;
  return (chunk >> (12 - 2 * k)) & 0x3u;
}

std::optional<TransportFeedback> TransportFeedback::parse(const RtcpPacket& packet) {
  if (packet.type() != RtcpPacket::TransportFeedback || packet.count() != RtcpPacket::kTransportCc) return std::nullopt;
  const auto body = packet.body();
  if (body.size() < kHeader) return std::nullopt;
  TransportFeedback f(body);
  const std::size_t count = f.statusCount();
  // The chunks, until they cover every status.
  std::size_t at = kHeader;
  std::size_t covered = 0;
  std::size_t deltaBytes = 0;
  std::size_t received = 0;
  while (covered < count) {
    if (at + 2 > body.size()) return std::nullopt;
    const auto chunk = static_cast<std::uint16_t>(body[at] << 8 | body[at + 1]);
    at += 2;
    const std::size_t n = statusesIn(chunk);
    if (n == 0) return std::nullopt;  // a run of nothing: not what a sender writes
    for (std::size_t k = 0; k < n && covered < count; ++k, ++covered) {
      const unsigned symbol = symbolOf(chunk, k);
      if (symbol == 3) return std::nullopt;  // reserved
      if (symbol != 0) ++received;
      deltaBytes += symbol;  // small: one byte, large: two
    }
  }
  if (at + deltaBytes > body.size()) return std::nullopt;
  f.received_ = received;
  return f;
}

}  // namespace aerie
