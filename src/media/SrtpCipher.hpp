#pragma once
// The packet transforms of one SRTP profile in one direction (RFC 3711 sections 3 and 4, RFC 7714
// for AES-GCM), without per-stream state: SrtpContext keeps the rollover counters, indices and
// replay windows and hands each packet here with its index. Keyed once with the session keys;
// nothing is allocated or locked per packet. Everything happens in the caller's buffer; the
// caller has checked the lengths (the header fits, there is room for the trailer).
#include <cstddef>
#include <cstdint>

namespace aerie {

class SrtpCipher {
 public:
  virtual ~SrtpCipher() = default;

  // Bytes SRTP adds after the packet (the tag), and SRTCP (the tag and the E flag with index).
  virtual std::size_t rtpOverhead() const = 0;
  virtual std::size_t rtcpOverhead() const = 0;

  // SRTP: the header packet[0, headerLength) stays in the clear, the rest of packet[0, length)
  // is encrypted in place, the tag written at packet[length]. The packet's index is `roc`, `seq`.
  virtual bool sealRtp(std::uint8_t* packet, std::size_t headerLength, std::size_t length,
                       std::uint32_t ssrc, std::uint32_t roc, std::uint16_t seq) = 0;
  // The reverse, `length` counting the tag; false when the tag does not match.
  virtual bool openRtp(std::uint8_t* packet, std::size_t headerLength, std::size_t length,
                       std::uint32_t ssrc, std::uint32_t roc, std::uint16_t seq) = 0;

  // SRTCP, always encrypted (E = 1): packet[8, length) encrypted in place, the trailer appended.
  virtual bool sealRtcp(std::uint8_t* packet, std::size_t length, std::uint32_t ssrc, std::uint32_t index) = 0;
  // The E flag and SRTCP index of a packet of `length` (at least 8 + rtcpOverhead()) bytes.
  virtual std::uint32_t rtcpIndexWord(const std::uint8_t* packet, std::size_t length) const = 0;
  // The reverse for a packet of `length` bytes with its trailer, encrypted or not (E = 0).
  virtual bool openRtcp(std::uint8_t* packet, std::size_t length, std::uint32_t ssrc) = 0;
};

}  // namespace aerie
