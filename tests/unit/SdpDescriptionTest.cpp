// SdpDescription: a Chromium unified-plan offer (audio, video with RTX, a data channel) parsed
// as views over its text; CRLF and LF; what is refused (not SDP, over the limits).
#include <gtest/gtest.h>

#include <string>

#include "SdpSamples.hpp"
#include "codec/SdpDescription.hpp"

namespace aerie {
namespace {

using sdpsamples::kChromeOffer;

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
