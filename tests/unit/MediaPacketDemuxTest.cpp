// PacketDemux sorts datagrams on the media port by their first byte (RFC 7983).
#include <gtest/gtest.h>

#include <vector>

#include "media/PacketDemux.hpp"

namespace aerie {
namespace {

PacketKind kindOf(std::vector<std::uint8_t> bytes) {
  return PacketDemux::classify(bytes);
}

TEST(MediaPacketDemux, EveryFirstByte) {
  for (int b = 0; b < 256; ++b) {
    const auto k = kindOf({static_cast<std::uint8_t>(b), 96});
    const PacketKind expected = b <= 3                 ? PacketKind::Stun
                                : b >= 20 && b <= 63   ? PacketKind::Dtls
                                : b >= 128 && b <= 191 ? PacketKind::Rtp
                                                       : PacketKind::Unknown;
    EXPECT_EQ(k, expected) << b;
  }
}

TEST(MediaPacketDemux, RtcpByItsPacketType) {
  EXPECT_EQ(kindOf({0x80, 200}), PacketKind::Rtcp);  // SR
  EXPECT_EQ(kindOf({0x81, 206}), PacketKind::Rtcp);  // PSFB
  EXPECT_EQ(kindOf({0x80, 223}), PacketKind::Rtcp);
  EXPECT_EQ(kindOf({0x80, 224}), PacketKind::Rtp);   // PT 96 with the marker bit
  EXPECT_EQ(kindOf({0x80, 0x6F}), PacketKind::Rtp);  // PT 111 (Opus)
  EXPECT_EQ(kindOf({0x90, 0xE0}), PacketKind::Rtp);
}

TEST(MediaPacketDemux, EmptyAndOneByte) {
  EXPECT_EQ(kindOf({}), PacketKind::Unknown);
  EXPECT_EQ(kindOf({0x80}), PacketKind::Rtp);  // too short to be RTCP; RtpPacket refuses it
  EXPECT_EQ(kindOf({22}), PacketKind::Dtls);
  EXPECT_STREQ(PacketDemux::toString(PacketKind::Rtcp), "rtcp");
}

}  // namespace
}  // namespace aerie
