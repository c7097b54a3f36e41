#include "codec/RtcpWriter.hpp"

namespace aerie {
namespace {

void put32(std::uint8_t* p, std::uint32_t v) {
  p[0] = static_cast<std::uint8_t>(v >> 24);
  p[1] = static_cast<std::uint8_t>(v >> 16);
  p[2] = static_cast<std::uint8_t>(v >> 8);
  p[3] = static_cast<std::uint8_t>(v);
}

}  // namespace

std::size_t RtcpWriter::pli(std::span<std::uint8_t> out, std::uint32_t senderSsrc,
                            std::uint32_t mediaSsrc) {
  if (out.size() < kPliSize) return 0;
  out[0] = 0x81;  // V=2, FMT 1
  out[1] = 206;   // PSFB
  out[2] = 0;
  out[3] = 2;     // length in words minus one
  put32(&out[4], senderSsrc);
  put32(&out[8], mediaSsrc);
  return kPliSize;
}

std::size_t RtcpWriter::remb(std::span<std::uint8_t> out, std::uint32_t senderSsrc,
                             std::uint64_t bitrate, std::span<const std::uint32_t> ssrcs) {
  if (ssrcs.size() > 255) return 0;
  const std::size_t size = rembSize(ssrcs.size());
  if (out.size() < size) return 0;
  unsigned exponent = 0;
  while (bitrate >= (1u << 18) && exponent < 63) {
    bitrate >>= 1;
    ++exponent;
  }
  const auto mantissa = static_cast<std::uint32_t>(bitrate);
  out[0] = 0x8F;  // V=2, FMT 15: application layer feedback
  out[1] = 206;
  const auto words = static_cast<std::uint16_t>(size / 4 - 1);
  out[2] = static_cast<std::uint8_t>(words >> 8);
  out[3] = static_cast<std::uint8_t>(words);
  put32(&out[4], senderSsrc);
  put32(&out[8], 0);  // media source: unused by REMB
  out[12] = 'R';
  out[13] = 'E';
  out[14] = 'M';
  out[15] = 'B';
  out[16] = static_cast<std::uint8_t>(ssrcs.size());
  out[17] = static_cast<std::uint8_t>(exponent << 2 | (mantissa >> 16));
  out[18] = static_cast<std::uint8_t>(mantissa >> 8);
  out[19] = static_cast<std::uint8_t>(mantissa);
  for (std::size_t i = 0; i < ssrcs.size(); ++i) put32(&out[20 + 4 * i], ssrcs[i]);
  return size;
}

}  // namespace aerie
