#pragma once
// A buffer for one datagram of the media port: the largest the SFU handles, and room for the
// SRTP overhead that encrypting it in place adds.
#include <array>
#include <cstddef>
#include <cstdint>

#include "media/MediaTransport.hpp"

namespace aerie {

constexpr std::size_t kMaxDatagram = 1500;

using DatagramBuffer = std::array<std::uint8_t, kMaxDatagram + MediaTransport::kSrtpOverhead>;

// The send buffer of one loop: a packet the SFU writes (RTCP of its own, a retransmission) is
// built here and encrypted in place. Inline, so that the per-packet callers keep it so.
inline DatagramBuffer& scratch() {
  static thread_local DatagramBuffer buffer;
  return buffer;
}

}  // namespace aerie
