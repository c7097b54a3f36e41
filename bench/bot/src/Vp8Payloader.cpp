#include "Vp8Payloader.hpp"

#include <algorithm>

namespace aerie::bot {

std::size_t Vp8Payloader::packetCount(std::size_t frameBytes) const {
  const std::size_t room = maxPayload_ - kDescriptorSize;
  return std::max<std::size_t>(1, (frameBytes + room - 1) / room);
}

std::size_t Vp8Payloader::write(std::span<std::uint8_t> out, std::span<const std::uint8_t> frame,
                                std::size_t index, std::size_t count, std::uint16_t pictureId) const {
  if (index >= count || count == 0) return 0;
  // Even split: the first `extra` packets carry one byte more.
  const std::size_t base = frame.size() / count;
  const std::size_t extra = frame.size() % count;
  const std::size_t size = base + (index < extra ? 1 : 0);
  const std::size_t offset = index * base + std::min(index, extra);
  if (out.size() < kDescriptorSize + size) return 0;
  // X=1, N=0, S on the first packet, PID=0 (RFC 7741 section 4.2).
  out[0] = static_cast<std::uint8_t>(0x80 | (index == 0 ? 0x10 : 0x00));
  out[1] = 0x80;  // I: a PictureID follows
  out[2] = static_cast<std::uint8_t>(0x80 | ((pictureId >> 8) & 0x7F));  // M=1: 15 bits
  out[3] = static_cast<std::uint8_t>(pictureId & 0xFF);
  std::copy_n(frame.begin() + static_cast<std::ptrdiff_t>(offset), size, out.begin() + kDescriptorSize);
  return kDescriptorSize + size;
}

}  // namespace aerie::bot
