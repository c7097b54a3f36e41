#pragma once
// The RTCP the SFU sends, written into the caller's buffer (no allocation): receiver reports
// (RFC 3550), PLI (RFC 4585 section 6.3.1) and REMB (draft-alvestrand-rmcat-remb-03), and the
// sender report a publisher sends (the native bot). Each returns the packet's size, or 0 when
// the buffer is too small. RtcpPacket reads them back.
#include <cstddef>
#include <cstdint>
#include <span>

#include "codec/RtcpPacket.hpp"

namespace aerie {

class RtcpWriter {
 public:
  static constexpr std::size_t kPliSize = 12;
  // A sender report without report blocks (RFC 3550 section 6.4.1): header, SSRC, sender info.
  static constexpr std::size_t kSenderReportSize = 28;
  static std::size_t senderReport(std::span<std::uint8_t> out, std::uint32_t ssrc, const RtcpSenderInfo& info);
  static std::size_t pli(std::span<std::uint8_t> out, std::uint32_t senderSsrc, std::uint32_t mediaSsrc);
  // A receiver report (RFC 3550 section 6.4.2) with up to 31 report blocks.
  static std::size_t receiverReportSize(std::size_t blocks) { return 8 + 24 * blocks; }
  static std::size_t receiverReport(std::span<std::uint8_t> out, std::uint32_t senderSsrc,
                                    std::span<const RtcpReportBlock> blocks);
  // The largest estimate REMB can carry: 18 bits of mantissa with a 6-bit exponent.
  static std::size_t rembSize(std::size_t ssrcs) { return 20 + 4 * ssrcs; }
  static std::size_t remb(std::span<std::uint8_t> out, std::uint32_t senderSsrc,
                          std::uint64_t bitrate, std::span<const std::uint32_t> ssrcs);

  // Transport-wide congestion control feedback (draft-holmer-rmcat-transport-wide-cc-
  // extensions-01, RTPFB FMT 15) for the packets numbered baseSeq, baseSeq+1, ...:
  // arrivalUs[i] is when packet baseSeq+i arrived (µs, any epoch), or kNotReceived. Chunks are
  // two-bit status vectors; deltas in 250 µs units, one byte when 0..255, else two. At most
  // kMaxFeedbackPackets statuses.
  static constexpr std::int64_t kNotReceived = -1;
  static constexpr std::size_t kMaxFeedbackPackets = 1024;
  static std::size_t transportFeedback(std::span<std::uint8_t> out, std::uint32_t senderSsrc,
                                       std::uint32_t mediaSsrc, std::uint16_t baseSeq,
                                       std::uint8_t feedbackCount,
                                       std::span<const std::int64_t> arrivalUs);
};

}  // namespace aerie
