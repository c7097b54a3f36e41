#pragma once
// VP8 RTP payloading (RFC 7741 section 4): one encoded frame split into packets of at most
// `maxPayload` bytes each, every one starting with a 4-byte payload descriptor: X=1, the S bit
// on the first packet of the frame, partition index 0, and I=1 with a 15-bit PictureID (M=1),
// as libwebrtc writes it. The split is even (the packets of a frame differ by at most one byte),
// so no packet is left tiny. The caller sets the RTP marker on the last packet. Pure: it writes
// into the caller's buffer and allocates nothing.
#include <cstddef>
#include <cstdint>
#include <span>

namespace aerie::bot {

class Vp8Payloader {
 public:
  static constexpr std::size_t kDescriptorSize = 4;

  // `maxPayload` counts the descriptor; it must exceed kDescriptorSize.
  explicit Vp8Payloader(std::size_t maxPayload) : maxPayload_(maxPayload) {}

  // How many packets a frame of `frameBytes` takes (at least one).
  std::size_t packetCount(std::size_t frameBytes) const;
  // Writes packet `index` of `count` (packetCount(frame.size())) into `out`: the descriptor, then
  // its share of the frame. Returns the payload size, 0 if `out` is too small or index >= count.
  std::size_t write(std::span<std::uint8_t> out, std::span<const std::uint8_t> frame,
                    std::size_t index, std::size_t count, std::uint16_t pictureId) const;

 private:
  std::size_t maxPayload_;
};

}  // namespace aerie::bot
