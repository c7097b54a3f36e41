// SdpAnswer: the media server's answer to a Chromium offer, read back with SdpDescription.
#include <gtest/gtest.h>

#include <algorithm>

#include "SdpSamples.hpp"
#include "codec/SdpDescription.hpp"
#include "sfu/SdpAnswer.hpp"

namespace aerie {
namespace {

LocalTransport local() {
  return LocalTransport{"srvUfrag", "serverPasswordOf22+chars", "AA:BB:CC", "127.0.0.1", 50000};
}

TEST(SdpAnswerTest, AnswersAChromiumOfferAsAnIceLiteReceiver) {
  const std::string offerText = sdpsamples::kChromeOffer;
  auto offer = SdpDescription::parse(offerText);
  ASSERT_TRUE(offer);
  std::vector<AcceptedMedia> accepted;
  const std::string text = SdpAnswer::build(*offer, local(), accepted);
  EXPECT_NE(text.find("\r\n"), std::string::npos);
  EXPECT_EQ(text.find("\n", 0) , text.find("\r\n") + 1) << "CRLF line ends";

  auto answer = SdpDescription::parse(text);
  ASSERT_TRUE(answer) << text;
  EXPECT_TRUE(answer->iceLite);
  EXPECT_EQ(answer->bundle, (std::vector<std::string_view>{"0", "1", "2"}));
  ASSERT_EQ(answer->media.size(), 3u);
  for (const auto& m : answer->media) {
    EXPECT_EQ(answer->ufragOf(m), "srvUfrag");
    EXPECT_EQ(answer->pwdOf(m), "serverPasswordOf22+chars");
    EXPECT_EQ(answer->fingerprintOf(m), "AA:BB:CC");
    EXPECT_EQ(answer->setupOf(m), "passive");
    ASSERT_EQ(m.candidates.size(), 1u);
    EXPECT_NE(m.candidates[0].find("127.0.0.1 50000 typ host"), std::string_view::npos);
  }
  const auto& audio = answer->media[0];
  EXPECT_EQ(audio.direction, SdpDirection::RecvOnly);
  ASSERT_EQ(audio.codecs.size(), 1u);
  EXPECT_EQ(audio.codecs[0].name, "opus");
  EXPECT_EQ(audio.codecs[0].payloadType, 111);
  EXPECT_TRUE(audio.rtcpMux);
  EXPECT_EQ(audio.extensionId(SdpAnswer::kMidUri), 4);
  EXPECT_EQ(audio.extensionId(SdpAnswer::kAudioLevelUri), 1);
  const auto& video = answer->media[1];
  ASSERT_EQ(video.codecs.size(), 2u);
  EXPECT_EQ(video.codecs[0].name, "VP8");
  EXPECT_EQ(video.codecs[1].name, "rtx");
  EXPECT_EQ(video.codecs[1].fmtp, "apt=96");
  EXPECT_EQ(answer->media[2].sctpPort, 5000);

  ASSERT_EQ(accepted.size(), 3u);
  EXPECT_TRUE(accepted[0].receive);
  EXPECT_EQ(accepted[0].payloadType, 111);
  EXPECT_EQ(accepted[0].ssrcs, (std::vector<std::uint32_t>{1111}));
  EXPECT_EQ(accepted[0].rtxSsrcs, (std::vector<std::uint32_t>{0}));
  EXPECT_EQ(accepted[1].payloadType, 96);
  EXPECT_EQ(accepted[1].rtxPayloadType, 97);
  EXPECT_EQ(accepted[1].ssrcs, (std::vector<std::uint32_t>{2222}));
  EXPECT_EQ(accepted[1].rtxSsrcs, (std::vector<std::uint32_t>{3333}));
  EXPECT_EQ(accepted[1].midExtension, 4);
  EXPECT_EQ(accepted[2].kind, "application");
}

TEST(SdpAnswerTest, RejectsWhatItCannotServe) {
  const std::string offerText =
      "v=0\r\na=group:BUNDLE a b\r\nm=audio 9 UDP/TLS/RTP/SAVPF 0\r\na=mid:a\r\na=rtpmap:0 PCMU/8000\r\n"
      "m=video 9 UDP/TLS/RTP/SAVPF 96\r\na=mid:b\r\na=recvonly\r\na=rtpmap:96 VP8/90000\r\n";
  auto offer = SdpDescription::parse(offerText);
  ASSERT_TRUE(offer);
  std::vector<AcceptedMedia> accepted;
  const std::string answerText = SdpAnswer::build(*offer, local(), accepted);  // the views' text
  auto answer = SdpDescription::parse(answerText);
  ASSERT_TRUE(answer);
  EXPECT_EQ(answer->media[0].port, 0) << "no Opus: rejected";
  EXPECT_EQ(answer->bundle, (std::vector<std::string_view>{"b"}));
  EXPECT_EQ(answer->media[1].direction, SdpDirection::Inactive) << "nothing to send yet";
  EXPECT_FALSE(accepted[1].receive);
  EXPECT_TRUE(accepted[1].send);
}

}  // namespace
}  // namespace aerie

namespace aerie {
namespace {

// The same offer with VP9 listed before VP8 (a page that set codec preferences).
std::string vp9First() {
  std::string sdp = sdpsamples::kChromeOffer;
  const std::string from = "m=video 9 UDP/TLS/RTP/SAVPF 96 97 98 99 45";
  sdp.replace(sdp.find(from), from.size(), "m=video 9 UDP/TLS/RTP/SAVPF 98 99 96 97 45");
  // rtpmap order is what SdpDescription keeps: move VP9's lines before VP8's.
  const auto vp9 = sdp.find("a=rtpmap:98 VP9/90000");
  const auto end = sdp.find("a=rtpmap:45");
  const std::string block = sdp.substr(vp9, end - vp9);
  sdp.erase(vp9, end - vp9);
  sdp.insert(sdp.find("a=rtpmap:96 VP8/90000"), block);
  return sdp;
}

TEST(SdpAnswerTest, APassiveTcpCandidateWhenTheServerListensForIceTcp) {
  auto offer = SdpDescription::parse(sdpsamples::kChromeOffer);
  ASSERT_TRUE(offer);
  std::vector<AcceptedMedia> accepted;
  LocalTransport withTcp = local();
  withTcp.tcpPort = 50000;
  const std::string answerText = SdpAnswer::build(*offer, withTcp, accepted);  // the views point into it
  auto answer = SdpDescription::parse(answerText);
  ASSERT_TRUE(answer);
  for (const auto& m : answer->media) {
    ASSERT_EQ(m.candidates.size(), 2u);
    EXPECT_NE(m.candidates[1].find("tcp 1518280447 127.0.0.1 50000 typ host tcptype passive"), std::string_view::npos);
  }
}

TEST(SdpAnswerTest, SimulcastLayersAreTakenByRidWithOneSsrcOfTheServers) {
  std::string text = sdpsamples::kChromeOffer;
  // Chromium's video section with three layers: rids and the rid extensions, no SSRC lines.
  const auto video = text.find("m=video");
  const auto next = text.find("m=application");
  std::string section = text.substr(video, next - video);
  std::string kept;
  for (std::size_t at = 0; at < section.size();) {
    const auto end = section.find('\n', at);
    const std::string line = section.substr(at, end - at + 1);
    if (line.rfind("a=ssrc", 0) != 0) kept += line;
    at = end + 1;
  }
  kept += "a=extmap:10 urn:ietf:params:rtp-hdrext:sdes:rtp-stream-id\r\n"
          "a=extmap:11 urn:ietf:params:rtp-hdrext:sdes:repaired-rtp-stream-id\r\n"
          "a=rid:q send\r\na=rid:h send\r\na=rid:f send\r\na=simulcast:send q;h;f\r\n";
  text.replace(video, next - video, kept);
  auto offer = SdpDescription::parse(text);
  ASSERT_TRUE(offer);
  std::vector<AcceptedMedia> accepted;
  const std::string answerText = SdpAnswer::build(*offer, local(), accepted);
  auto answer = SdpDescription::parse(answerText);
  ASSERT_TRUE(answer) << answerText;
  const auto& a = accepted[1];
  EXPECT_EQ(a.rids, (std::vector<std::string>{"q", "h", "f"}));
  EXPECT_EQ(a.ridExtension, 10);
  EXPECT_EQ(a.repairedRidExtension, 11);
  ASSERT_EQ(a.ssrcs.size(), 1u) << "one SSRC for subscribers to know the track by";
  EXPECT_NE(a.ssrcs[0], 0u);
  const auto& m = answer->media[1];
  EXPECT_EQ(m.simulcast, "recv q;h;f");
  ASSERT_EQ(m.rids.size(), 3u);
  EXPECT_FALSE(m.rids[0].send);
  EXPECT_EQ(m.extensionId(SdpAnswer::kRidUri), 10);
}

TEST(SdpAnswerTest, TheVideoCodecIsThePublishersFirstOfVp8Vp9AndH264) {
  const std::string text = vp9First();
  auto offer = SdpDescription::parse(text);
  ASSERT_TRUE(offer);
  std::vector<AcceptedMedia> accepted;
  const std::string answerText = SdpAnswer::build(*offer, local(), accepted);
  auto answer = SdpDescription::parse(answerText);
  ASSERT_TRUE(answer) << answerText;
  const auto& video = answer->media[1];
  ASSERT_FALSE(video.codecs.empty());
  EXPECT_EQ(video.codecs[0].name, "VP9");
  EXPECT_EQ(accepted[1].payloadType, 98);
  EXPECT_EQ(accepted[1].rtxPayloadType, 99) << "VP9's own RTX";
}

// The sections the server offers to send on carry the session's transport-wide-cc id (the one
// the client's offer chose) and ask for transport-cc feedback, so that the subscriber's browser
// reports what arrived and the server can estimate its downlink; a session without it asks for
// REMB on video instead.
TEST(SdpAnswerTest, ForwardedSectionsAskForTransportCcFeedback) {
  const std::string chrome(sdpsamples::kChromeOffer);  // the description holds views into it
  auto offer = SdpDescription::parse(chrome);
  ASSERT_TRUE(offer);
  std::vector<AcceptedMedia> accepted;
  const std::string lastLocal = SdpAnswer::build(*offer, local(), accepted);
  EXPECT_EQ(accepted[0].transportCcExtension, 3);
  ForwardedTrack video{"f0", "video", 2001, "other", "s2", "t2", 96, "VP8", 90000, 0, "", true};
  ForwardedTrack audio{"f1", "audio", 2000, "other", "s2", "t1", 111, "opus", 48000, 2, "", true};
  const std::string text = SdpAnswer::offer(lastLocal, {video, audio});
  auto parsed = SdpDescription::parse(text);
  ASSERT_TRUE(parsed) << text;
  ASSERT_EQ(parsed->media.size(), 5u);
  for (std::size_t i = 3; i < 5; ++i) {
    const auto& m = parsed->media[i];
    EXPECT_EQ(m.extensionId(SdpAnswer::kTransportCcUri), 3) << i;
    const auto& fb = m.codecs.at(0).feedback;
    EXPECT_NE(std::find(fb.begin(), fb.end(), "transport-cc"), fb.end()) << i;
    EXPECT_EQ(std::find(fb.begin(), fb.end(), "goog-remb"), fb.end()) << i;
  }
  // Without transport-cc in the session: REMB for video.
  const std::string bare = SdpAnswer::forwardedSection(video, nullptr, "actpass");
  EXPECT_EQ(bare.find("transport-cc"), std::string::npos);
  EXPECT_NE(bare.find("a=rtcp-fb:96 goog-remb"), std::string::npos);
  const std::string withCc = SdpAnswer::forwardedSection(video, nullptr, "actpass", 5);
  EXPECT_NE(withCc.find("a=extmap:5 " + std::string(SdpAnswer::kTransportCcUri)), std::string::npos);
  EXPECT_NE(withCc.find("a=rtcp-fb:96 transport-cc"), std::string::npos);
}

}  // namespace
}  // namespace aerie
