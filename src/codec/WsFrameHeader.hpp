#pragma once
// The header of one unfragmented, unmasked server frame (RFC 6455 section 5.2): 2, 4 or 10
// bytes, written next to the payload so a frame goes out as two gathered buffers.
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

namespace aerie {

class WsFrameHeader {
 public:
  enum Opcode : std::uint8_t { Text = 0x1, Binary = 0x2, Close = 0x8, Ping = 0x9, Pong = 0xA };

  WsFrameHeader(Opcode opcode, std::size_t payloadBytes);
  std::string_view bytes() const { return {bytes_, size_}; }

  // A whole frame in one string (control frames, tests).
  static std::string frame(Opcode opcode, std::string_view payload);
  // The payload of a close frame: the code in network order, then the reason.
  static std::string closePayload(std::uint16_t code, std::string_view reason = {});

 private:
  char bytes_[10];
  std::uint8_t size_;
};

}  // namespace aerie
