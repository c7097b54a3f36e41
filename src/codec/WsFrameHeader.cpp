#include "codec/WsFrameHeader.hpp"

namespace aerie {

WsFrameHeader::WsFrameHeader(Opcode opcode, std::size_t payloadBytes) {
  bytes_[0] = static_cast<char>(0x80 | opcode);  // FIN, no extension bits
  if (payloadBytes < 126) {
    bytes_[1] = static_cast<char>(payloadBytes);
    size_ = 2;
  } else if (payloadBytes <= 0xFFFF) {
    bytes_[1] = 126;
    bytes_[2] = static_cast<char>(payloadBytes >> 8);
    bytes_[3] = static_cast<char>(payloadBytes & 0xFF);
    size_ = 4;
  } else {
    bytes_[1] = 127;
    auto n = static_cast<std::uint64_t>(payloadBytes);
    for (int i = 0; i < 8; ++i) bytes_[2 + i] = static_cast<char>((n >> (8 * (7 - i))) & 0xFF);
    size_ = 10;
  }
}

std::string WsFrameHeader::frame(Opcode opcode, std::string_view payload) {
  std::string out(WsFrameHeader(opcode, payload.size()).bytes());
  out.append(payload);
  return out;
}

std::string WsFrameHeader::closePayload(std::uint16_t code, std::string_view reason) {
  std::string out;
  out.push_back(static_cast<char>(code >> 8));
  out.push_back(static_cast<char>(code & 0xFF));
  out.append(reason.substr(0, 123));
  return out;
}

}  // namespace aerie
