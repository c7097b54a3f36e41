// DtlsTransport: handshakes in process (against itself and a plain OpenSSL client), the SRTP
// keys both ends derive, fingerprint checks, garbage, lost flights, deadlines and close.
#include <gtest/gtest.h>

#include <random>
#include <thread>

#include "MediaDtlsHarness.hpp"
#include "media/DtlsTransport.hpp"

namespace aerie {
namespace {

using namespace std::chrono_literals;
using State = DtlsTransport::State;
using test::Bytes;
using test::DtlsPair;

bool allZero(std::span<const std::uint8_t> b) {
  return std::all_of(b.begin(), b.end(), [](std::uint8_t x) { return x == 0; });
}

Bytes bytesOf(std::string_view s) {
  return Bytes(s.begin(), s.end());
}

TEST(DtlsCertificate, FingerprintInSdpForm) {
  auto cert = DtlsCertificate::generate();
  const std::string& f = cert->fingerprint();
  ASSERT_EQ(f.size(), std::string("sha-256 ").size() + 32 * 3 - 1);
  EXPECT_EQ(f.substr(0, 8), "sha-256 ");
  for (std::size_t i = 8; i < f.size(); ++i) {
    if ((i - 8) % 3 == 2)
      EXPECT_EQ(f[i], ':');
    else
      EXPECT_TRUE(std::isxdigit(static_cast<unsigned char>(f[i])) && !std::islower(f[i]));
  }
  EXPECT_TRUE(DtlsCertificate::matches(cert->x509(), f));
  std::string lower = f;
  std::transform(lower.begin(), lower.end(), lower.begin(),
                 [](unsigned char c) { return std::tolower(c); });
  EXPECT_TRUE(DtlsCertificate::matches(cert->x509(), lower));
  EXPECT_TRUE(DtlsCertificate::matches(cert->x509(),
                                       DtlsCertificate::fingerprintOf(cert->x509(), "sha-1")));
  EXPECT_FALSE(DtlsCertificate::matches(cert->x509(), DtlsCertificate::generate()->fingerprint()));
  EXPECT_FALSE(DtlsCertificate::matches(cert->x509(), "md5 " + f.substr(8)));
  EXPECT_FALSE(DtlsCertificate::matches(cert->x509(), "sha-256"));
  EXPECT_FALSE(DtlsCertificate::matches(nullptr, f));
  EXPECT_EQ(DtlsCertificate::processWide(), DtlsCertificate::processWide());
}

TEST(DtlsTransport, HandshakeInProcessDerivesTheSameKeys) {
  DtlsPair pair;
  ASSERT_TRUE(pair.handshake()) << pair.client.failure() << " / " << pair.server.failure();
  const SrtpKeys& c = pair.client.srtpKeys();
  const SrtpKeys& s = pair.server.srtpKeys();
  EXPECT_EQ(c.profile, SrtpProfile::AeadAes128Gcm);  // first in our list
  EXPECT_EQ(s.profile, c.profile);
  EXPECT_EQ(c.length(), 28u);
  EXPECT_TRUE(std::ranges::equal(c.clientKeySalt(), s.clientKeySalt()));
  EXPECT_TRUE(std::ranges::equal(c.serverKeySalt(), s.serverKeySalt()));
  EXPECT_FALSE(std::ranges::equal(c.clientKeySalt(), c.serverKeySalt()));
  EXPECT_FALSE(allZero(c.clientKeySalt()));
  EXPECT_FALSE(allZero(c.serverKeySalt()));
  EXPECT_EQ(pair.serverEnd.states, (std::vector<State>{State::Connecting, State::Connected}));
  EXPECT_EQ(pair.clientEnd.states, (std::vector<State>{State::Connecting, State::Connected}));
  // No datagram above the MTU.
  EXPECT_GT(pair.client.counters().datagramsOut, 0u);

  // Application data (SCTP, later) both ways.
  EXPECT_TRUE(pair.client.send(bytesOf("hello")));
  EXPECT_TRUE(pair.server.send(bytesOf("world")));
  pair.pump();
  EXPECT_EQ(pair.serverEnd.received, std::vector<std::string>{"hello"});
  EXPECT_EQ(pair.clientEnd.received, std::vector<std::string>{"world"});
}

TEST(DtlsTransport, DatagramsStayWithinTheMtu) {
  DtlsPair pair;
  pair.deliver = [](bool, const Bytes& d) {
    EXPECT_LE(d.size(), static_cast<std::size_t>(DtlsTransport::kMtu));
    return true;
  };
  ASSERT_TRUE(pair.handshake());
}

TEST(DtlsTransport, AgainstAPlainOpenSslClientForEachProfile) {
  for (auto [names, profile] : {std::pair{"SRTP_AES128_CM_SHA1_80", SrtpProfile::Aes128CmSha1_80},
                                std::pair{"SRTP_AEAD_AES_128_GCM", SrtpProfile::AeadAes128Gcm}}) {
    auto clientCert = DtlsCertificate::generate();
    test::PlainDtlsClient client(names, *clientCert);
    test::DtlsEndpoint serverEnd;
    Limits limits;
    DtlsTransport server(DtlsTransport::Role::Server, DtlsCertificate::processWide(),
                         clientCert->fingerprint(), limits, serverEnd);
    ASSERT_TRUE(test::handshakeWithPlainClient(client, server, serverEnd))
        << names << server.failure();
    EXPECT_EQ(server.srtpKeys().profile, profile);
    // The client's own export, done by OpenSSL alone, agrees with ours.
    const Bytes clientKey = client.clientKeySalt(srtpKeyLength(profile), srtpSaltLength(profile));
    EXPECT_TRUE(std::ranges::equal(clientKey, server.srtpKeys().clientKeySalt())) << names;
    // And the server presented the certificate whose fingerprint goes into our SDP.
    EXPECT_TRUE(DtlsCertificate::matches(SSL_get0_peer_certificate(client.ssl()),
                                         DtlsCertificate::processWide()->fingerprint()));
  }
}

TEST(DtlsTransport, WrongServerFingerprintFailsBothEnds) {
  DtlsPair pair(DtlsCertificate::generate()->fingerprint(), {});
  EXPECT_FALSE(pair.handshake());
  EXPECT_EQ(pair.client.state(), State::Failed);
  EXPECT_NE(pair.client.failure(), "");
  // The client's alert ends the server's attempt too.
  EXPECT_EQ(pair.server.state(), State::Failed);
  EXPECT_EQ(pair.client.srtpKeys().profile, SrtpProfile::None);
}

TEST(DtlsTransport, WrongClientFingerprintFailsBothEnds) {
  DtlsPair pair({},
                "sha-256 00:11:22:33:44:55:66:77:88:99:AA:BB:CC:DD:EE:FF:"
                "00:11:22:33:44:55:66:77:88:99:AA:BB:CC:DD:EE:FF");
  EXPECT_FALSE(pair.handshake());
  EXPECT_EQ(pair.server.state(), State::Failed);
  EXPECT_NE(pair.client.state(), State::Connected);
  EXPECT_EQ(pair.server.srtpKeys().profile, SrtpProfile::None);
}

TEST(DtlsTransport, GarbageIsDroppedAndCountedNeverFatal) {
  DtlsPair pair;
  pair.server.start({});
  std::mt19937 rng(7);
  std::vector<Bytes> garbage = {
      {},
      {22},
      {22, 0xFE, 0xFD},                                   // a record header cut short
      {22, 0xFE, 0xFD, 0, 0, 0, 0, 0, 0, 0, 0, 0, 5, 1},  // length beyond the datagram
      {24, 0xFE, 0xFD, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0},     // heartbeat: not accepted
      {22, 0x03, 0x03, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0},     // a TLS, not DTLS, version
      {0x80, 0x60, 0, 1, 0, 0, 0, 0, 0, 0, 0, 1},         // RTP
  };
  for (int i = 0; i < 200; ++i) {
    Bytes b(rng() % 300);
    for (auto& x : b) x = static_cast<std::uint8_t>(rng());
    if (!b.empty()) b[0] = static_cast<std::uint8_t>(20 + rng() % 44);
    // Keep the random ones badly framed: a valid frame with junk content may be a real
    // (fatal) protocol error, which is the fuzzer's business, not this test's.
    if (b.size() >= 13) b[1] = 0x03;
    garbage.push_back(b);
  }
  for (const auto& g : garbage) pair.server.feed(g);
  EXPECT_EQ(pair.server.counters().dropped, garbage.size());
  EXPECT_EQ(pair.server.state(), State::Connecting);
  EXPECT_TRUE(pair.serverEnd.outbox.empty());

  ASSERT_TRUE(pair.handshake());
  for (const auto& g : garbage) pair.client.feed(g);
  EXPECT_EQ(pair.client.counters().dropped, garbage.size());
  EXPECT_EQ(pair.client.state(), State::Connected);

  // A well-framed application-data record that fails its MAC is dropped by OpenSSL.
  Bytes forged = {23, 0xFE, 0xFD, 0, 1, 0, 0, 0, 0, 0, 9, 0, 40};
  forged.resize(forged.size() + 40, 0xAB);
  pair.server.feed(forged);
  EXPECT_EQ(pair.server.state(), State::Connected);
  EXPECT_TRUE(pair.client.send(bytesOf("still here")));
  pair.pump();
  EXPECT_EQ(pair.serverEnd.received, std::vector<std::string>{"still here"});
}

TEST(DtlsTransport, ALostFlightIsSentAgainOnTick) {
  DtlsPair pair;
  int lost = 0;
  pair.deliver = [&](bool fromClient, const Bytes&) { return !(fromClient && lost++ == 0); };
  pair.server.start({});
  pair.client.start({});
  pair.pump();  // the ClientHello is lost
  EXPECT_EQ(pair.client.state(), State::Connecting);
  auto wait = pair.client.nextTimeout();
  ASSERT_TRUE(wait);
  EXPECT_LE(*wait, std::chrono::milliseconds(DtlsTransport::kInitialRetransmitMs));
  std::this_thread::sleep_for(*wait + 20ms);  // OpenSSL's retransmission timer is its own
  pair.client.tick(DtlsTransport::Clock::time_point{} + 1s);
  EXPECT_EQ(pair.client.counters().retransmitTimeouts, 1u);
  pair.pump();
  EXPECT_EQ(pair.client.state(), State::Connected);
  EXPECT_EQ(pair.server.state(), State::Connected);
}

TEST(DtlsTransport, AHandshakeBeyondTheDeadlineFails) {
  DtlsPair pair;
  const DtlsTransport::Clock::time_point t0{};
  pair.server.start(t0);
  pair.server.tick(t0 + std::chrono::milliseconds(pair.limits.dtlsHandshakeTimeoutMs) - 1ms);
  EXPECT_EQ(pair.server.state(), State::Connecting);
  pair.server.tick(t0 + std::chrono::milliseconds(pair.limits.dtlsHandshakeTimeoutMs));
  EXPECT_EQ(pair.server.state(), State::Failed);
  EXPECT_NE(pair.server.failure().find("timed out"), std::string::npos);
}

TEST(DtlsTransport, CloseNotifyClosesThePeer) {
  DtlsPair pair;
  ASSERT_TRUE(pair.handshake());
  pair.client.close();
  EXPECT_EQ(pair.client.state(), State::Closed);
  pair.pump();
  EXPECT_EQ(pair.server.state(), State::Closed);
  EXPECT_FALSE(pair.server.send(bytesOf("late")));
  pair.client.close();  // once only
  EXPECT_EQ(std::count(pair.clientEnd.states.begin(), pair.clientEnd.states.end(), State::Closed),
            1);
}

TEST(DtlsTransport, NothingHappensBeforeStart) {
  DtlsPair pair;
  pair.client.start({});
  ASSERT_FALSE(pair.clientEnd.outbox.empty());
  pair.server.feed(pair.clientEnd.outbox.front());  // the server was not started
  EXPECT_EQ(pair.server.counters().dropped, 1u);
  EXPECT_EQ(pair.server.state(), State::New);
  EXPECT_STREQ(DtlsTransport::toString(State::Failed), "failed");
}

}  // namespace
}  // namespace aerie
