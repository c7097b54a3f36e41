#include "codec/RtcpWriter.hpp"

#include <algorithm>

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

std::size_t RtcpWriter::receiverReport(std::span<std::uint8_t> out, std::uint32_t senderSsrc,
                                      std::span<const RtcpReportBlock> blocks) {
  if (blocks.size() > 31) return 0;
  const std::size_t size = receiverReportSize(blocks.size());
  if (out.size() < size) return 0;
  out[0] = static_cast<std::uint8_t>(0x80 | blocks.size());
  out[1] = 201;  // RR
  out[2] = static_cast<std::uint8_t>((size / 4 - 1) >> 8);
  out[3] = static_cast<std::uint8_t>(size / 4 - 1);
  put32(&out[4], senderSsrc);
  std::uint8_t* p = out.data() + 8;
  for (const auto& b : blocks) {
    put32(p, b.ssrc);
    const auto lost = static_cast<std::uint32_t>(std::clamp(b.cumulativeLost, -0x800000, 0x7FFFFF)) & 0xFFFFFFu;
    put32(p + 4, static_cast<std::uint32_t>(b.fractionLost) << 24 | lost);
    put32(p + 8, b.highestSequence);
    put32(p + 12, b.jitter);
    put32(p + 16, b.lastSenderReport);
    put32(p + 20, b.delaySinceLast);
    p += 24;
  }
  return size;
}

std::size_t RtcpWriter::senderReport(std::span<std::uint8_t> out, std::uint32_t ssrc,
                                     const RtcpSenderInfo& info) {
  if (out.size() < kSenderReportSize) return 0;
  out[0] = 0x80;  // V=2, no report blocks
  out[1] = 200;   // SR
  out[2] = 0;
  out[3] = 6;     // length in words minus one
  put32(&out[4], ssrc);
  put32(&out[8], static_cast<std::uint32_t>(info.ntpTime >> 32));
  put32(&out[12], static_cast<std::uint32_t>(info.ntpTime));
  put32(&out[16], info.rtpTimestamp);
  put32(&out[20], info.packetCount);
  put32(&out[24], info.octetCount);
  return kSenderReportSize;
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

std::size_t RtcpWriter::transportFeedback(std::span<std::uint8_t> out, std::uint32_t senderSsrc,
                                          std::uint32_t mediaSsrc, std::uint16_t baseSeq,
                                          std::uint8_t feedbackCount,
                                          std::span<const std::int64_t> arrivalUs) {
  const std::size_t count = arrivalUs.size();
  if (count == 0 || count > kMaxFeedbackPackets) return 0;
  std::size_t first = 0;
  while (first < count && arrivalUs[first] == kNotReceived) ++first;
  if (first == count) return 0;  // nothing received: nothing to say
  // The reference time: the first arrival, rounded down to 64 ms (24 bits, wrapping).
  const std::int64_t referenceUnits = arrivalUs[first] / 64000;
  std::int64_t previous = referenceUnits * 64000;

  const std::size_t chunks = (count + 6) / 7;
  std::size_t at = 20 + 2 * chunks;
  if (out.size() < at) return 0;
  std::size_t deltasAt = at;
  for (std::size_t c = 0; c < chunks; ++c) {
    std::uint16_t chunk = 0xC000;  // status vector, two-bit symbols
    for (std::size_t k = 0; k < 7; ++k) {
      const std::size_t i = c * 7 + k;
      std::uint16_t symbol = 0;
      if (i < count && arrivalUs[i] != kNotReceived) {
        const std::int64_t delta = (arrivalUs[i] - previous) / 250;
        previous += delta * 250;  // what the receiver will reconstruct
        if (delta >= 0 && delta <= 255) {
          symbol = 1;
          if (out.size() < deltasAt + 1) return 0;
          out[deltasAt++] = static_cast<std::uint8_t>(delta);
        } else {
          symbol = 2;
          const auto clamped = static_cast<std::int16_t>(std::clamp<std::int64_t>(delta, -32768, 32767));
          if (out.size() < deltasAt + 2) return 0;
          out[deltasAt++] = static_cast<std::uint8_t>(static_cast<std::uint16_t>(clamped) >> 8);
          out[deltasAt++] = static_cast<std::uint8_t>(clamped);
        }
      }
      chunk = static_cast<std::uint16_t>(chunk | symbol << (12 - 2 * k));
    }
    out[20 + 2 * c] = static_cast<std::uint8_t>(chunk >> 8);
    out[20 + 2 * c + 1] = static_cast<std::uint8_t>(chunk);
  }
  // Padded to a word with the RTCP padding bit: the last byte says how many bytes were added.
  std::size_t size = deltasAt;
  const std::size_t padding = (4 - size % 4) % 4;
  if (out.size() < size + padding) return 0;
  for (std::size_t i = 0; i < padding; ++i) out[size + i] = 0;
  size += padding;
  if (padding != 0) out[size - 1] = static_cast<std::uint8_t>(padding);
  out[0] = static_cast<std::uint8_t>(0x80 | (padding != 0 ? 0x20 : 0) | 15);
  out[1] = 205;  // RTPFB
  const auto words = static_cast<std::uint16_t>(size / 4 - 1);
  out[2] = static_cast<std::uint8_t>(words >> 8);
  out[3] = static_cast<std::uint8_t>(words);
  put32(&out[4], senderSsrc);
  put32(&out[8], mediaSsrc);
  out[12] = static_cast<std::uint8_t>(baseSeq >> 8);
  out[13] = static_cast<std::uint8_t>(baseSeq);
  out[14] = static_cast<std::uint8_t>(count >> 8);
  out[15] = static_cast<std::uint8_t>(count);
  const auto reference = static_cast<std::uint32_t>(referenceUnits) & 0xFFFFFF;
  out[16] = static_cast<std::uint8_t>(reference >> 16);
  out[17] = static_cast<std::uint8_t>(reference >> 8);
  out[18] = static_cast<std::uint8_t>(reference);
  out[19] = feedbackCount;
  return size;
}

}  // namespace aerie
