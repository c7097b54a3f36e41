#pragma once
// What a datagram on the media port is, by its first byte (RFC 7983 section 7, the order RFC
// 9443 keeps): 0..3 STUN, 20..63 DTLS, 128..191 RTP or RTCP, told apart by the second byte
// (RFC 5761 section 4). Everything else (ZRTP 16..19, TURN channels 64..79, QUIC) is not
// ours here and is dropped. Only a first look: each kind's parser checks the rest.
#include <cstdint>
#include <span>

#include "codec/RtpPacket.hpp"

namespace aerie {

enum class PacketKind : std::uint8_t { Stun, Dtls, Rtp, Rtcp, Unknown };

class PacketDemux {
 public:
  static PacketKind classify(std::span<const std::uint8_t> datagram) {
    if (datagram.empty()) return PacketKind::Unknown;
    const std::uint8_t b = datagram[0];
    if (b <= 3) return PacketKind::Stun;
    if (b >= 20 && b <= 63) return PacketKind::Dtls;
    if (b >= 128 && b <= 191) {
      return RtpPacket::looksLikeRtcp(datagram) ? PacketKind::Rtcp : PacketKind::Rtp;
    }
    return PacketKind::Unknown;
  }

  static constexpr const char* toString(PacketKind kind) {
    switch (kind) {
      case PacketKind::Stun:
        return "stun";
      case PacketKind::Dtls:
        return "dtls";
      case PacketKind::Rtp:
        return "rtp";
      case PacketKind::Rtcp:
        return "rtcp";
      case PacketKind::Unknown:
        return "unknown";
    }
    return "?";
  }
};

}  // namespace aerie
