// aerie-bot's descriptions against aerie's SdpAnswer: the server accepts the bot's offer (Opus,
// VP8, transport-cc, its SSRCs), the bot reads the answer's transport, and it reads the tracks
// of a server offer and answers every section.
#include <gtest/gtest.h>

#include "BotSdp.hpp"
#include "codec/SdpDescription.hpp"
#include "sfu/SdpAnswer.hpp"

namespace aerie::bot {
namespace {

LocalMedia local() {
  LocalMedia m;
  m.iceUfrag = "botU";
  m.icePwd = "botpasswordbotpassword12";
  m.fingerprint = "AA:BB:CC";
  m.streamId = "bot0";
  m.cname = "bot0";
  m.audioSsrc = 1000;
  m.videoSsrc = 1001;
  return m;
}

LocalTransport server() {
  return LocalTransport{"srvU", "serverpasswordserverpass", "11:22:33", "127.0.0.1", 50000};
}

TEST(BotSdpTest, TheServerAcceptsTheOfferAndTheBotReadsTheAnswer) {
  const std::string offerText = BotSdp::offer(local());
  const auto offer = SdpDescription::parse(offerText);
  ASSERT_TRUE(offer);
  std::vector<AcceptedMedia> accepted;
  const std::string answerText = SdpAnswer::build(*offer, server(), accepted);
  ASSERT_EQ(accepted.size(), 2u);
  EXPECT_TRUE(accepted[0].receive);
  EXPECT_EQ(accepted[0].ssrcs, std::vector<std::uint32_t>{1000});
  EXPECT_EQ(accepted[1].ssrcs, std::vector<std::uint32_t>{1001});
  EXPECT_EQ(accepted[1].payloadType, 96);
  EXPECT_NE(accepted[1].transportCcExtension, 0);

  const auto answer = SdpDescription::parse(answerText);
  ASSERT_TRUE(answer);
  std::string why;
  const auto remote = BotSdp::readAnswer(*answer, why);
  ASSERT_TRUE(remote) << why;
  EXPECT_EQ(remote->iceUfrag, "srvU");
  EXPECT_EQ(remote->icePwd, "serverpasswordserverpass");
  EXPECT_EQ(remote->fingerprint, "sha-256 11:22:33");
  EXPECT_EQ(remote->address, "127.0.0.1");
  EXPECT_EQ(remote->port, 50000);
  EXPECT_EQ(remote->audioPayloadType, 111);
  EXPECT_EQ(remote->videoPayloadType, 96);
  EXPECT_EQ(remote->transportCcExtension, 3);
  EXPECT_EQ(remote->absSendTimeExtension, 2);
  EXPECT_EQ(accepted[1].absSendTimeExtension, 2);
  EXPECT_TRUE(remote->rids.empty());
}

TEST(BotSdpTest, SimulcastLayersAreOfferedByRidAndTakenByTheServer) {
  LocalMedia m = local();
  m.rids = {"q", "h", "f"};
  const std::string offerText = BotSdp::offer(m);
  EXPECT_NE(offerText.find("a=rid:q send\r\na=rid:h send\r\na=rid:f send\r\na=simulcast:send q;h;f\r\n"),
            std::string::npos);
  EXPECT_EQ(offerText.find("a=ssrc:1001"), std::string::npos);  // layers are known by rid
  const auto offer = SdpDescription::parse(offerText);
  ASSERT_TRUE(offer);
  std::vector<AcceptedMedia> accepted;
  const std::string answerText = SdpAnswer::build(*offer, server(), accepted);
  ASSERT_EQ(accepted.size(), 2u);
  EXPECT_EQ(accepted[1].rids, (std::vector<std::string>{"q", "h", "f"}));
  EXPECT_EQ(accepted[1].ridExtension, 10);
  EXPECT_EQ(accepted[1].ssrcs.size(), 1u);  // the server's SSRC for the track
  const auto answer = SdpDescription::parse(answerText);
  ASSERT_TRUE(answer);
  std::string why;
  const auto remote = BotSdp::readAnswer(*answer, why);
  ASSERT_TRUE(remote) << why;
  EXPECT_EQ(remote->rids, (std::vector<std::string>{"q", "h", "f"}));
  EXPECT_EQ(remote->ridExtension, 10);
  EXPECT_EQ(remote->absSendTimeExtension, 2);

  // Answering the server's later offer keeps sending the layers.
  ForwardedTrack video{"f0", "video", 2001, "other", "s2", "t2", 96, "VP8", 90000, 0, "", true};
  const std::string serverOffer = SdpAnswer::offer(answerText, {video});
  const auto parsed = SdpDescription::parse(serverOffer);
  ASSERT_TRUE(parsed);
  const std::string again = BotSdp::answer(*parsed, m);
  EXPECT_NE(again.find("a=simulcast:send q;h;f"), std::string::npos);
  EXPECT_NE(again.find("a=extmap:10 urn:ietf:params:rtp-hdrext:sdes:rtp-stream-id"), std::string::npos);
}

TEST(BotSdpTest, AnAnswerWithoutACandidateOrRejectingVideoIsRefused) {
  std::string why;
  const std::string noCandidate =
      "v=0\r\no=- 1 1 IN IP4 127.0.0.1\r\ns=-\r\nt=0 0\r\nm=audio 9 UDP/TLS/RTP/SAVPF 111\r\na=mid:0\r\n"
      "a=ice-ufrag:u\r\na=ice-pwd:p\r\na=fingerprint:sha-256 AA\r\na=rtpmap:111 opus/48000/2\r\n";
  EXPECT_FALSE(BotSdp::readAnswer(*SdpDescription::parse(noCandidate), why));
  EXPECT_NE(why.find("candidate"), std::string::npos);
  const std::string audioOnly = noCandidate + "a=candidate:1 1 udp 2130706431 127.0.0.1 5000 typ host\r\n";
  EXPECT_FALSE(BotSdp::readAnswer(*SdpDescription::parse(audioOnly), why));
  EXPECT_NE(why.find("rejects"), std::string::npos);
}

TEST(BotSdpTest, ReadsAndAnswersTheServersOfferOfForwardedTracks) {
  const std::string offerText = BotSdp::offer(local());
  const auto offer = SdpDescription::parse(offerText);
  std::vector<AcceptedMedia> accepted;
  const std::string lastLocal = SdpAnswer::build(*offer, server(), accepted);
  ForwardedTrack video{"f0", "video", 2001, "other", "s2", "t2", 96, "VP8", 90000, 0, "", true};
  ForwardedTrack gone{"f1", "audio", 2000, "other", "s2", "t1", 111, "opus", 48000, 2, "", false};
  const std::string serverOffer = SdpAnswer::offer(lastLocal, {video, gone});
  const auto parsed = SdpDescription::parse(serverOffer);
  ASSERT_TRUE(parsed);
  const auto tracks = BotSdp::offeredTracks(*parsed);
  ASSERT_EQ(tracks.size(), 2u);
  EXPECT_EQ(tracks[0].mid, "f0");
  EXPECT_EQ(tracks[0].kind, "video");
  EXPECT_EQ(tracks[0].ssrc, 2001u);
  EXPECT_TRUE(tracks[0].active);
  EXPECT_FALSE(tracks[1].active);

  const std::string answerText = BotSdp::answer(*parsed, local());  // the views point into it
  const auto answer = SdpDescription::parse(answerText);
  ASSERT_TRUE(answer);
  ASSERT_EQ(answer->media.size(), 4u);
  EXPECT_EQ(answer->media[0].direction, SdpDirection::SendOnly);  // the server receives the bot's
  EXPECT_EQ(answer->media[0].ssrcs.front().ssrc, 1000u);
  EXPECT_EQ(answer->media[2].direction, SdpDirection::RecvOnly);
  EXPECT_EQ(answer->media[3].direction, SdpDirection::Inactive);
  EXPECT_EQ(answer->setupOf(answer->media[2]), "active");
  EXPECT_EQ(answer->bundle.size(), 4u);
}

}  // namespace
}  // namespace aerie::bot
