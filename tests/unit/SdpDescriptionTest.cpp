// SdpDescription: a Chromium unified-plan offer (audio, video with RTX, a data channel) parsed
// as views over its text; CRLF and LF; what is refused (not SDP, over the limits).
#include <gtest/gtest.h>

#include <string>

#include "codec/SdpDescription.hpp"

namespace aerie {
namespace {

// Written by Chromium 120 for getUserMedia audio+video and one data channel (ssrcs shortened).
const std::string kChromeOffer = R"(v=0
o=- 4611731400430051336 2 IN IP4 127.0.0.1
s=-
t=0 0
a=group:BUNDLE 0 1 2
a=extmap-allow-mixed
a=msid-semantic: WMS stream1
m=audio 9 UDP/TLS/RTP/SAVPF 111 63 9 0 8 13 110 126
c=IN IP4 0.0.0.0
a=rtcp:9 IN IP4 0.0.0.0
a=ice-ufrag:Yx7m
a=ice-pwd:7k9GXJ1fYzqPqHpPn8lZ0kYd
a=ice-options:trickle
a=fingerprint:sha-256 6B:8B:F0:65:5F:78:E2:51:3B:AC:6F:F3:3F:46:1B:35:DC:B8:5F:64:1A:24:C2:43:F0:A1:58:D0:A1:2C:19:08
a=setup:actpass
a=mid:0
a=extmap:1 urn:ietf:params:rtp-hdrext:ssrc-audio-level
a=extmap:2 http://www.webrtc.org/experiments/rtp-hdrext/abs-send-time
a=extmap:3 http://www.ietf.org/id/draft-holmer-rmcat-transport-wide-cc-extensions-01
a=extmap:4 urn:ietf:params:rtp-hdrext:sdes:mid
a=sendrecv
a=msid:stream1 audio-track-1
a=rtcp-mux
a=rtpmap:111 opus/48000/2
a=rtcp-fb:111 transport-cc
a=fmtp:111 minptime=10;useinbandfec=1
a=rtpmap:63 red/48000/2
a=fmtp:63 111/111
a=rtpmap:9 G722/8000
a=rtpmap:0 PCMU/8000
a=rtpmap:8 PCMA/8000
a=rtpmap:13 CN/8000
a=rtpmap:110 telephone-event/48000
a=rtpmap:126 telephone-event/8000
a=ssrc:1111 cname:abcd
a=ssrc:1111 msid:stream1 audio-track-1
m=video 9 UDP/TLS/RTP/SAVPF 96 97 98 99 45
c=IN IP4 0.0.0.0
a=rtcp:9 IN IP4 0.0.0.0
a=ice-ufrag:Yx7m
a=ice-pwd:7k9GXJ1fYzqPqHpPn8lZ0kYd
a=ice-options:trickle
a=fingerprint:sha-256 6B:8B:F0:65:5F:78:E2:51:3B:AC:6F:F3:3F:46:1B:35:DC:B8:5F:64:1A:24:C2:43:F0:A1:58:D0:A1:2C:19:08
a=setup:actpass
a=mid:1
a=extmap:14 urn:ietf:params:rtp-hdrext:toffset
a=extmap:2 http://www.webrtc.org/experiments/rtp-hdrext/abs-send-time
a=extmap:3 http://www.ietf.org/id/draft-holmer-rmcat-transport-wide-cc-extensions-01
a=extmap:4 urn:ietf:params:rtp-hdrext:sdes:mid
a=sendrecv
a=msid:stream1 video-track-1
a=rtcp-mux
a=rtcp-rsize
a=rtpmap:96 VP8/90000
a=rtcp-fb:96 goog-remb
a=rtcp-fb:96 transport-cc
a=rtcp-fb:96 ccm fir
a=rtcp-fb:96 nack
a=rtcp-fb:96 nack pli
a=rtpmap:97 rtx/90000
a=fmtp:97 apt=96
a=rtpmap:98 VP9/90000
a=rtcp-fb:98 nack
a=fmtp:98 profile-id=0
a=rtpmap:99 rtx/90000
a=fmtp:99 apt=98
a=rtpmap:45 AV1/90000
a=ssrc-group:FID 2222 3333
a=ssrc:2222 cname:abcd
a=ssrc:2222 msid:stream1 video-track-1
a=ssrc:3333 cname:abcd
a=ssrc:3333 msid:stream1 video-track-1
m=application 9 UDP/DTLS/SCTP webrtc-datachannel
c=IN IP4 0.0.0.0
a=ice-ufrag:Yx7m
a=ice-pwd:7k9GXJ1fYzqPqHpPn8lZ0kYd
a=ice-options:trickle
a=fingerprint:sha-256 6B:8B:F0:65:5F:78:E2:51:3B:AC:6F:F3:3F:46:1B:35:DC:B8:5F:64:1A:24:C2:43:F0:A1:58:D0:A1:2C:19:08
a=setup:actpass
a=mid:2
a=sctp-port:5000
a=max-message-size:262144
)";

std::string withCrlf(const std::string& lf) {
  std::string out;
  for (char c : lf) {
    if (c == '\n') out += '\r';
    out += c;
  }
  return out;
}

TEST(SdpDescriptionTest, ParsesAChromiumOffer) {
  const std::string text = withCrlf(kChromeOffer);
  auto d = SdpDescription::parse(text);
  ASSERT_TRUE(d);
  ASSERT_EQ(d->media.size(), 3u);
  EXPECT_EQ(d->bundle, (std::vector<std::string_view>{"0", "1", "2"}));
  EXPECT_FALSE(d->iceLite);

  const auto& audio = d->media[0];
  EXPECT_EQ(audio.kind, "audio");
  EXPECT_EQ(audio.port, 9);
  EXPECT_EQ(audio.protocol, "UDP/TLS/RTP/SAVPF");
  EXPECT_EQ(audio.mid, "0");
  EXPECT_EQ(audio.direction, SdpDirection::SendRecv);
  EXPECT_EQ(d->ufragOf(audio), "Yx7m");
  EXPECT_EQ(d->pwdOf(audio), "7k9GXJ1fYzqPqHpPn8lZ0kYd");
  EXPECT_EQ(d->fingerprintAlgorithmOf(audio), "sha-256");
  EXPECT_TRUE(d->fingerprintOf(audio).starts_with("6B:8B:F0"));
  EXPECT_EQ(d->setupOf(audio), "actpass");
  EXPECT_TRUE(audio.rtcpMux);
  ASSERT_EQ(audio.codecs.size(), 8u);
  const SdpCodec* opus = audio.codec(111);
  ASSERT_NE(opus, nullptr);
  EXPECT_EQ(opus->name, "opus");
  EXPECT_EQ(opus->clockRate, 48000u);
  EXPECT_EQ(opus->channels, 2);
  EXPECT_EQ(opus->fmtp, "minptime=10;useinbandfec=1");
  EXPECT_EQ(opus->feedback, (std::vector<std::string_view>{"transport-cc"}));
  EXPECT_EQ(audio.extensionId("urn:ietf:params:rtp-hdrext:ssrc-audio-level"), 1);
  EXPECT_EQ(audio.extensionId("urn:ietf:params:rtp-hdrext:sdes:mid"), 4);
  EXPECT_EQ(audio.extensionId("urn:nope"), 0);
  ASSERT_EQ(audio.ssrcs.size(), 1u);
  EXPECT_EQ(audio.ssrcs[0].ssrc, 1111u);
  EXPECT_EQ(audio.ssrcs[0].cname, "abcd");
  EXPECT_EQ(audio.ssrcs[0].msid, "stream1 audio-track-1");
  EXPECT_EQ(audio.msid, "stream1 audio-track-1");

  const auto& video = d->media[1];
  EXPECT_EQ(video.kind, "video");
  EXPECT_TRUE(video.rtcpRsize);
  const SdpCodec* vp8 = video.codec(96);
  ASSERT_NE(vp8, nullptr);
  EXPECT_EQ(vp8->name, "VP8");
  EXPECT_EQ(vp8->clockRate, 90000u);
  EXPECT_EQ(vp8->feedback,
            (std::vector<std::string_view>{"goog-remb", "transport-cc", "ccm fir", "nack", "nack pli"}));
  ASSERT_NE(video.codec(97), nullptr);
  EXPECT_EQ(video.codec(97)->fmtp, "apt=96");
  EXPECT_EQ(video.codec(45)->name, "AV1");
  ASSERT_EQ(video.ssrcGroups.size(), 1u);
  EXPECT_EQ(video.ssrcGroups[0].semantics, "FID");
  EXPECT_EQ(video.ssrcGroups[0].ssrcs, (std::vector<std::uint32_t>{2222, 3333}));
  EXPECT_EQ(video.ssrcs.size(), 2u);

  const auto& data = d->media[2];
  EXPECT_EQ(data.kind, "application");
  EXPECT_EQ(data.protocol, "UDP/DTLS/SCTP");
  EXPECT_TRUE(data.codecs.empty());
  EXPECT_EQ(data.sctpPort, 5000);
  EXPECT_EQ(data.maxMessageSize, 262144u);
}

TEST(SdpDescriptionTest, ViewsPointIntoTheText) {
  const std::string text = kChromeOffer;  // LF line ends
  auto d = SdpDescription::parse(text);
  ASSERT_TRUE(d);
  const auto mid = d->media[1].mid;
  EXPECT_GE(mid.data(), text.data());
  EXPECT_LE(mid.data() + mid.size(), text.data() + text.size());
  EXPECT_EQ(d->media[1].mid, "1");
}

TEST(SdpDescriptionTest, SessionLevelValuesAreTheFallback) {
  const std::string text =
      "v=0\r\no=- 1 1 IN IP4 0.0.0.0\r\ns=-\r\nt=0 0\r\na=ice-lite\r\na=ice-ufrag:sess\r\n"
      "a=ice-pwd:sesspwd\r\na=fingerprint:sha-256 AA:BB\r\na=setup:passive\r\n"
      "m=audio 50000 UDP/TLS/RTP/SAVPF 111\r\na=mid:a\r\na=recvonly\r\na=rtpmap:111 opus/48000/2\r\n"
      "a=candidate:1 1 udp 2130706431 127.0.0.1 50000 typ host\r\n";
  auto d = SdpDescription::parse(text);
  ASSERT_TRUE(d);
  EXPECT_TRUE(d->iceLite);
  const auto& m = d->media[0];
  EXPECT_EQ(d->ufragOf(m), "sess");
  EXPECT_EQ(d->pwdOf(m), "sesspwd");
  EXPECT_EQ(d->fingerprintOf(m), "AA:BB");
  EXPECT_EQ(d->setupOf(m), "passive");
  EXPECT_EQ(m.direction, SdpDirection::RecvOnly);
  EXPECT_EQ(m.port, 50000);
  ASSERT_EQ(m.candidates.size(), 1u);
  EXPECT_EQ(m.candidates[0], "1 1 udp 2130706431 127.0.0.1 50000 typ host");
}

TEST(SdpDescriptionTest, RidsAndSimulcast) {
  const std::string text =
      "v=0\nm=video 9 UDP/TLS/RTP/SAVPF 96\na=rtpmap:96 VP8/90000\na=rid:q send\na=rid:h send\n"
      "a=rid:f send\na=simulcast:send q;h;f\na=rtcp-fb:* nack\n";
  auto d = SdpDescription::parse(text);
  ASSERT_TRUE(d);
  const auto& m = d->media[0];
  ASSERT_EQ(m.rids.size(), 3u);
  EXPECT_EQ(m.rids[1].id, "h");
  EXPECT_TRUE(m.rids[1].send);
  EXPECT_EQ(m.simulcast, "send q;h;f");
  EXPECT_EQ(m.codecs[0].feedback, (std::vector<std::string_view>{"nack"}));
}

TEST(SdpDescriptionTest, RefusesWhatIsNotSdp) {
  EXPECT_FALSE(SdpDescription::parse(""));
  EXPECT_FALSE(SdpDescription::parse("hello"));
  EXPECT_FALSE(SdpDescription::parse("v=1\n"));
  EXPECT_FALSE(SdpDescription::parse("o=- 1 1 IN IP4 0.0.0.0\nv=0\n"));  // v= must come first
  EXPECT_FALSE(SdpDescription::parse("v=0\nthis is not a line\n"));
  EXPECT_FALSE(SdpDescription::parse("v=0\nm=audio\n"));                    // no port
  EXPECT_FALSE(SdpDescription::parse("v=0\nm=audio 70000 RTP/AVP 0\n"));   // port out of range
  EXPECT_FALSE(SdpDescription::parse("v=0\nm=audio 9 RTP/AVP 300\n"));     // not a payload type
  // Attributes that do not parse are skipped, not fatal.
  auto d = SdpDescription::parse("v=0\nm=audio 9 RTP/AVP 0\na=rtpmap:xx nothing\na=ssrc:nan cname:x\na=extmap:0 urn:x\n");
  ASSERT_TRUE(d);
  EXPECT_TRUE(d->media[0].ssrcs.empty());
  EXPECT_TRUE(d->media[0].extensions.empty());
}

TEST(SdpDescriptionTest, LimitsAreHeld) {
  SdpDescription::Limits limits;
  limits.maxBytes = 100;
  EXPECT_FALSE(SdpDescription::parse(kChromeOffer, limits)) << "longer than maxBytes";
  limits = {};
  limits.maxMedia = 2;
  EXPECT_FALSE(SdpDescription::parse(kChromeOffer, limits)) << "three media sections";
  limits = {};
  limits.maxCodecsPerMedia = 4;
  EXPECT_FALSE(SdpDescription::parse(kChromeOffer, limits)) << "eight audio codecs";
  limits = {};
  limits.maxSsrcsPerMedia = 1;
  auto d = SdpDescription::parse(kChromeOffer, limits);
  ASSERT_TRUE(d);
  EXPECT_EQ(d->media[1].ssrcs.size(), 1u) << "SSRCs past the limit are not kept";
}

}  // namespace
}  // namespace aerie
