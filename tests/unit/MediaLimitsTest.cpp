// The media plane's bounds in the one limits table: defaults, and settable by name.
#include <gtest/gtest.h>

#include "core/Limits.hpp"

using aerie::Limits;

TEST(MediaLimits, DefaultsAreTheRfcValues) {
  Limits l;
  EXPECT_EQ(l.iceConsentTimeoutMs, 30000u);  // RFC 7675 section 5.1
  EXPECT_EQ(l.dtlsHandshakeTimeoutMs, 30000u);
  EXPECT_EQ(l.maxTracksPerPeer, 4u);
  EXPECT_EQ(l.maxPublisherBitrateKbps, 2500u);
  EXPECT_EQ(l.maxSubscriberBitrateKbps, 10000u);
  EXPECT_EQ(l.maxTransportsPerAddress, 500u);
  EXPECT_EQ(l.maxSdpMediaSections, 128u);
  EXPECT_EQ(l.maxSubscribersPerRoom, 20u);
  EXPECT_EQ(l.autoSfuPeers, 4u);
  // A subscriber's transport carries (20 - 1) x 4 forwarded SSRCs at the defaults.
  EXPECT_EQ(l.maxSrtpStreamsPerDirection, 256u);
  EXPECT_GE(l.maxSrtpStreamsPerDirection, (l.maxSubscribersPerRoom - 1) * l.maxTracksPerPeer);
  EXPECT_EQ(l.maxDataMessageBytes, 65536u);
  EXPECT_EQ(l.maxDataChannelsPerTransport, 16u);
  EXPECT_EQ(l.dataMessagesBurst, 100.0);
  EXPECT_EQ(l.dataMessagesPerSecond, 50.0);
}

TEST(MediaLimits, SetByName) {
  Limits l;
  EXPECT_TRUE(l.set("ice-consent-timeout-ms", "5000"));
  EXPECT_EQ(l.iceConsentTimeoutMs, 5000u);
  EXPECT_TRUE(l.set("dtls-handshake-timeout-ms", "1000"));
  EXPECT_EQ(l.dtlsHandshakeTimeoutMs, 1000u);
  EXPECT_FALSE(l.set("ice-consent-timeout-ms", "-1"));
  EXPECT_TRUE(l.set("max-tracks-per-peer", "2"));
  EXPECT_EQ(l.maxTracksPerPeer, 2u);
  EXPECT_TRUE(l.set("max-publisher-bitrate-kbps", "800"));
  EXPECT_EQ(l.maxPublisherBitrateKbps, 800u);
  EXPECT_TRUE(l.set("max-subscriber-bitrate-kbps", "1200"));
  EXPECT_EQ(l.maxSubscriberBitrateKbps, 1200u);
  EXPECT_TRUE(l.set("max-transports-per-address", "3"));
  EXPECT_EQ(l.maxTransportsPerAddress, 3u);
  EXPECT_TRUE(l.set("max-sdp-media-sections", "8"));
  EXPECT_EQ(l.maxSdpMediaSections, 8u);
  EXPECT_TRUE(l.set("auto-sfu-peers", "6"));
  EXPECT_EQ(l.autoSfuPeers, 6u);
  EXPECT_TRUE(l.set("max-subscribers-per-room", "3"));
  EXPECT_EQ(l.maxSubscribersPerRoom, 3u);
  EXPECT_TRUE(l.set("max-srtp-streams-per-direction", "16"));
  EXPECT_EQ(l.maxSrtpStreamsPerDirection, 16u);
  EXPECT_TRUE(l.set("max-data-message-bytes", "1000"));
  EXPECT_EQ(l.maxDataMessageBytes, 1000u);
  EXPECT_TRUE(l.set("max-data-channels-per-transport", "2"));
  EXPECT_EQ(l.maxDataChannelsPerTransport, 2u);
  EXPECT_TRUE(l.set("data-messages-burst", "3"));
  EXPECT_EQ(l.dataMessagesBurst, 3.0);
  EXPECT_TRUE(l.set("data-messages-per-second", "0.5"));
  EXPECT_EQ(l.dataMessagesPerSecond, 0.5);
}

TEST(MediaLimits, RecordingBounds) {
  Limits l;
  EXPECT_EQ(l.maxConcurrentRecordings, 16u);
  EXPECT_EQ(l.maxRecordingSeconds, 4u * 3600);
  EXPECT_EQ(l.maxRecordingBytes, std::size_t{10} << 30);
  EXPECT_TRUE(l.set("max-concurrent-recordings", "2"));
  EXPECT_EQ(l.maxConcurrentRecordings, 2u);
  EXPECT_TRUE(l.set("max-recording-seconds", "5"));
  EXPECT_EQ(l.maxRecordingSeconds, 5u);
  EXPECT_TRUE(l.set("max-recording-bytes", "100000"));
  EXPECT_EQ(l.maxRecordingBytes, 100000u);
}
