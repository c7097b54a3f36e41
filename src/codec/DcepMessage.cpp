#include "codec/DcepMessage.hpp"

#include <cstring>

namespace aerie {
namespace {

std::uint16_t read16(const std::uint8_t* p) { return static_cast<std::uint16_t>(p[0] << 8 | p[1]); }
std::uint32_t read32(const std::uint8_t* p) {
  return std::uint32_t{p[0]} << 24 | std::uint32_t{p[1]} << 16 | std::uint32_t{p[2]} << 8 | p[3];
}

}  // namespace

std::optional<DcepMessage> DcepMessage::parse(std::span<const std::uint8_t> data) {
  if (data.empty()) return std::nullopt;
  DcepMessage m;
  if (data[0] == static_cast<std::uint8_t>(Type::Ack)) {
    m.type_ = Type::Ack;
    return m;
  }
  if (data[0] != static_cast<std::uint8_t>(Type::Open) || data.size() < kOpenHeader) return std::nullopt;
  m.type_ = Type::Open;
  m.channelType_ = data[1];
  const std::uint8_t base = m.channelType_ & static_cast<std::uint8_t>(~kUnordered);
  if (base != kReliable && base != kPartialReliableRexmit && base != kPartialReliableTimed) return std::nullopt;
  m.priority_ = read16(&data[2]);
  m.reliability_ = read32(&data[4]);
  const std::size_t labelLength = read16(&data[8]);
  const std::size_t protocolLength = read16(&data[10]);
  if (data.size() - kOpenHeader < labelLength + protocolLength) return std::nullopt;
  const char* text = reinterpret_cast<const char*>(data.data() + kOpenHeader);
  m.label_ = std::string_view(text, labelLength);
  m.protocol_ = std::string_view(text + labelLength, protocolLength);
  return m;
}

std::size_t DcepMessage::writeOpen(std::span<std::uint8_t> out, std::string_view label,
                                   std::string_view protocol) {
  const std::size_t size = kOpenHeader + label.size() + protocol.size();
  if (out.size() < size || label.size() > 0xFFFF || protocol.size() > 0xFFFF) return 0;
  std::memset(out.data(), 0, kOpenHeader);
  out[0] = static_cast<std::uint8_t>(Type::Open);
  out[1] = kReliable;
  out[8] = static_cast<std::uint8_t>(label.size() >> 8);
  out[9] = static_cast<std::uint8_t>(label.size());
  out[10] = static_cast<std::uint8_t>(protocol.size() >> 8);
  out[11] = static_cast<std::uint8_t>(protocol.size());
  std::memcpy(out.data() + kOpenHeader, label.data(), label.size());
  std::memcpy(out.data() + kOpenHeader + label.size(), protocol.data(), protocol.size());
  return size;
}

std::size_t DcepMessage::writeAck(std::span<std::uint8_t> out) {
  if (out.empty()) return 0;
  out[0] = static_cast<std::uint8_t>(Type::Ack);
  return 1;
}

}  // namespace aerie
