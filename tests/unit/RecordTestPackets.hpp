#pragma once
// Crafted VP8 RTP payloads for the recorder's tests: libwebrtc's descriptor (X=1, I=1, 15-bit
// PictureID), and for a key frame the start of an RFC 6386 key frame header with its size.
#include <cstdint>
#include <vector>

namespace aerie::test {

struct Vp8Packet {
  std::uint16_t sequence = 0;
  std::uint32_t timestamp = 0;
  bool marker = false;
  std::vector<std::uint8_t> payload;
};

// The packets of one frame of `packets` packets, each with `bytes` of VP8 data.
inline std::vector<Vp8Packet> vp8Frame(std::uint16_t firstSequence, std::uint32_t timestamp, bool key,
                                       std::size_t packets, std::uint16_t width = 640,
                                       std::uint16_t height = 480, std::size_t bytes = 100) {
  std::vector<Vp8Packet> out;
  for (std::size_t i = 0; i < packets; ++i) {
    Vp8Packet p;
    p.sequence = static_cast<std::uint16_t>(firstSequence + i);
    p.timestamp = timestamp;
    p.marker = i + 1 == packets;
    p.payload = {static_cast<std::uint8_t>(i == 0 ? 0x90 : 0x80), 0x80, 0x80, 0x01};
    std::vector<std::uint8_t> data(bytes, static_cast<std::uint8_t>(0x40 + i));
    if (i == 0) {
      data[0] = key ? 0x10 : 0x11;  // frame tag: bit 0 is 0 for a key frame, show_frame
      data[1] = 0;
      data[2] = 0;
      if (key) {
        const std::uint8_t head[] = {0x9d, 0x01, 0x2a, static_cast<std::uint8_t>(width), static_cast<std::uint8_t>(width >> 8),
                                     static_cast<std::uint8_t>(height), static_cast<std::uint8_t>(height >> 8)};
        std::copy(std::begin(head), std::end(head), data.begin() + 3);
      }
    }
    p.payload.insert(p.payload.end(), data.begin(), data.end());
    out.push_back(std::move(p));
  }
  return out;
}

}  // namespace aerie::test
