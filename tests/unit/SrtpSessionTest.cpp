// SrtpSession: RTP and RTCP round trips between two sessions keyed by a real DTLS handshake,
// for both profiles; tampering, replays and short buffers are refused and counted.
#include <gtest/gtest.h>

#include "MediaDtlsHarness.hpp"
#include "media/SrtpSession.hpp"

namespace aerie {
namespace {

using test::Bytes;

// DTLS-derived keys for `profile`: GCM from two DtlsTransports (it is their first choice),
// AES-CM from a DtlsTransport server and a plain OpenSSL client that offers only that.
SrtpKeys keysFor(SrtpProfile profile) {
  if (profile == SrtpProfile::AeadAes128Gcm) {
    test::DtlsPair pair;
    EXPECT_TRUE(pair.handshake());
    EXPECT_EQ(pair.client.srtpKeys().profile, profile);
    return pair.server.srtpKeys();
  }
  auto cert = DtlsCertificate::generate();
  test::PlainDtlsClient client("SRTP_AES128_CM_SHA1_80", *cert);
  test::DtlsEndpoint serverEnd;
  Limits limits;
  DtlsTransport server(DtlsTransport::Role::Server, DtlsCertificate::processWide(),
                       cert->fingerprint(), limits, serverEnd);
  EXPECT_TRUE(test::handshakeWithPlainClient(client, server, serverEnd));
  EXPECT_EQ(server.srtpKeys().profile, profile);
  return server.srtpKeys();
}

// RTP: V=2, PT 111, seq, ts, SSRC, then `payload` bytes of a pattern.
Bytes rtp(std::uint16_t seq, std::size_t payload = 160) {
  Bytes b = {0x80,
             111,
             static_cast<std::uint8_t>(seq >> 8),
             static_cast<std::uint8_t>(seq),
             0,
             0,
             0x12,
             0x34,
             0xCA,
             0xFE,
             0xBA,
             0xBE};
  for (std::size_t i = 0; i < payload; ++i) b.push_back(static_cast<std::uint8_t>(i * 7));
  return b;
}

// RTCP: a receiver report with one block, sender SSRC 0xCAFEBABE.
Bytes rtcp() {
  Bytes b = {0x81, 201, 0, 7, 0xCA, 0xFE, 0xBA, 0xBE};
  for (int i = 0; i < 24; ++i) b.push_back(static_cast<std::uint8_t>(i));
  return b;
}

class SrtpSessionTest : public ::testing::TestWithParam<SrtpProfile> {
 protected:
  void SetUp() override {
    keys_ = keysFor(GetParam());
    client_ = SrtpSession::fromDtls(keys_, DtlsTransport::Role::Client);
    server_ = SrtpSession::fromDtls(keys_, DtlsTransport::Role::Server);
    ASSERT_TRUE(client_);
    ASSERT_TRUE(server_);
  }

  // Protects `plain` with `from` in a buffer with room for the trailer, returns the wire bytes.
  static Bytes protect(SrtpSession& from, const Bytes& plain, bool isRtcp) {
    Bytes buf(plain.size() + 64);
    std::copy(plain.begin(), plain.end(), buf.begin());
    auto n = isRtcp ? from.protectRtcp(buf, plain.size()) : from.protectRtp(buf, plain.size());
    EXPECT_TRUE(n);
    EXPECT_EQ(*n, plain.size() + (isRtcp ? from.rtcpOverhead() : from.rtpOverhead()));
    buf.resize(n.value_or(0));
    return buf;
  }

  SrtpKeys keys_;
  std::unique_ptr<SrtpSession> client_, server_;
};

TEST_P(SrtpSessionTest, RtpRoundTripsBothWays) {
  for (auto [from, to] :
       {std::pair{client_.get(), server_.get()}, std::pair{server_.get(), client_.get()}}) {
    for (std::uint16_t seq = 1000; seq < 1010; ++seq) {
      const Bytes plain = rtp(seq);
      Bytes wire = protect(*from, plain, false);
      // The header stays in the clear; the payload does not.
      EXPECT_TRUE(std::equal(plain.begin(), plain.begin() + 12, wire.begin()));
      EXPECT_FALSE(std::equal(plain.begin() + 12, plain.end(), wire.begin() + 12));
      auto n = to->unprotectRtp(wire, wire.size());
      ASSERT_TRUE(n);
      wire.resize(*n);
      EXPECT_EQ(wire, plain);
    }
  }
  EXPECT_EQ(server_->counters().authFailures, 0u);
}

TEST_P(SrtpSessionTest, RtcpRoundTripsBothWays) {
  for (auto [from, to] :
       {std::pair{client_.get(), server_.get()}, std::pair{server_.get(), client_.get()}}) {
    for (int i = 0; i < 5; ++i) {
      const Bytes plain = rtcp();
      Bytes wire = protect(*from, plain, true);
      auto n = to->unprotectRtcp(wire, wire.size());
      ASSERT_TRUE(n);
      wire.resize(*n);
      EXPECT_EQ(wire, plain);
    }
  }
}

TEST_P(SrtpSessionTest, TamperedPacketsFailAuthenticationAndAreCounted) {
  Bytes wire = protect(*client_, rtp(1), false);
  wire[20] ^= 0x01;
  EXPECT_FALSE(server_->unprotectRtp(wire, wire.size()));
  EXPECT_EQ(server_->counters().authFailures, 1u);

  Bytes control = protect(*client_, rtcp(), true);
  control[10] ^= 0x80;
  EXPECT_FALSE(server_->unprotectRtcp(control, control.size()));
  EXPECT_EQ(server_->counters().authFailures, 2u);

  // Keyed the other way round: the server's own outbound key does not open the client's packets.
  auto wrong = SrtpSession::create(GetParam(), keys_.serverKeySalt(), keys_.serverKeySalt());
  ASSERT_TRUE(wrong);
  Bytes other = protect(*client_, rtp(2), false);
  EXPECT_FALSE(wrong->unprotectRtp(other, other.size()));
  EXPECT_EQ(wrong->counters().authFailures, 1u);

  // The untouched packet still goes through afterwards.
  Bytes good = protect(*client_, rtp(3), false);
  EXPECT_TRUE(server_->unprotectRtp(good, good.size()));
}

TEST_P(SrtpSessionTest, ReplaysAreRefusedAndCounted) {
  Bytes wire = protect(*client_, rtp(42), false);
  Bytes copy = wire;
  ASSERT_TRUE(server_->unprotectRtp(wire, wire.size()));
  EXPECT_FALSE(server_->unprotectRtp(copy, copy.size()));
  EXPECT_EQ(server_->counters().replays, 1u);
  EXPECT_EQ(server_->counters().authFailures, 0u);
}

TEST_P(SrtpSessionTest, NoRoomForTheTagOrTooShortIsRefused) {
  Bytes plain = rtp(5);
  Bytes exact = plain;
  EXPECT_FALSE(client_->protectRtp(exact, exact.size()));
  EXPECT_EQ(exact, plain);  // untouched
  Bytes small(plain.size() + client_->rtpOverhead() - 1);
  std::copy(plain.begin(), plain.end(), small.begin());
  EXPECT_FALSE(client_->protectRtp(small, plain.size()));
  Bytes tiny = {0x80, 111, 0, 1};
  tiny.resize(64);
  EXPECT_FALSE(server_->unprotectRtp(tiny, 4));
  EXPECT_FALSE(server_->unprotectRtcp(tiny, 4));
  EXPECT_FALSE(server_->unprotectRtp(tiny, 65));  // longer than the buffer
  EXPECT_EQ(client_->counters().otherFailures, 2u);
  EXPECT_EQ(server_->counters().otherFailures, 3u);
}

INSTANTIATE_TEST_SUITE_P(Profiles, SrtpSessionTest,
                         ::testing::Values(SrtpProfile::Aes128CmSha1_80,
                                           SrtpProfile::AeadAes128Gcm),
                         [](const auto& info) {
                           return info.param == SrtpProfile::AeadAes128Gcm
                                      ? std::string("AeadAes128Gcm")
                                      : std::string("Aes128CmSha1_80");
                         });

TEST(SrtpSession, RefusesBadKeysAndNoProfile) {
  Bytes key(30, 1);
  EXPECT_TRUE(SrtpSession::create(SrtpProfile::Aes128CmSha1_80, key, key));
  EXPECT_FALSE(SrtpSession::create(SrtpProfile::Aes128CmSha1_80, Bytes(28, 1), key));
  EXPECT_FALSE(SrtpSession::create(SrtpProfile::AeadAes128Gcm, key, key));
  EXPECT_FALSE(SrtpSession::create(SrtpProfile::None, {}, {}));
  EXPECT_TRUE(SrtpSession::create(SrtpProfile::AeadAes128Gcm, Bytes(28, 2), Bytes(28, 3)));
}

}  // namespace
}  // namespace aerie
