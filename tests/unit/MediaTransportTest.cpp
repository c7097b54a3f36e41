// MediaTransport, the server's end of one client connection, against a client made of the media
// classes themselves: a STUN check with the client's credentials, a DTLS client, SRTP both ways.
// Datagrams travel through queues; nothing is mocked.
#include <gtest/gtest.h>

#include <deque>
#include <vector>

#include "codec/RtpPacket.hpp"
#include "codec/StunWriter.hpp"
#include "media/DtlsCertificate.hpp"
#include "media/DtlsTransport.hpp"
#include "media/MediaTransport.hpp"
#include "media/SrtpSession.hpp"

namespace aerie {
namespace {

using Bytes = std::vector<std::uint8_t>;
using Clock = MediaTransport::Clock;

stun::Address clientAddress() {
  stun::Address a;
  a.bytes = {127, 0, 0, 1};
  a.port = 40000;
  return a;
}

struct ToClient : MediaTransport::Sender {
  std::deque<Bytes> datagrams;
  std::vector<stun::Address> to;
  void sendDatagram(std::span<const std::uint8_t> d, const stun::Address& a) override {
    datagrams.emplace_back(d.begin(), d.end());
    to.push_back(a);
  }
};

struct ServerSide : MediaTransport::Listener {
  std::vector<MediaTransport::State> states;
  std::vector<Bytes> rtp;
  std::vector<Bytes> rtcp;
  std::vector<stun::Address> checked;
  void onTransportState(MediaTransport&, MediaTransport::State s) override { states.push_back(s); }
  void onRtp(MediaTransport&, RtpPacket& p) override { rtp.emplace_back(p.bytes().begin(), p.bytes().end()); }
  void onRtcp(MediaTransport&, std::span<std::uint8_t> c) override { rtcp.emplace_back(c.begin(), c.end()); }
  bool onAddressChecked(MediaTransport&, const stun::Address& a) override {
    checked.push_back(a);
    return admit;
  }
  bool admit = true;
};

struct ClientDtls : DtlsTransport::Listener {
  std::deque<Bytes> toServer;
  DtlsTransport::State state = DtlsTransport::State::New;
  void onDtlsSend(std::span<const std::uint8_t> d) override { toServer.emplace_back(d.begin(), d.end()); }
  void onDtlsStateChanged(DtlsTransport::State s) override { state = s; }
  void onDtlsData(std::span<const std::uint8_t>) override {}
};

Bytes rtpPacket(std::uint32_t ssrc, std::uint16_t seq, std::size_t payload) {
  Bytes p(12 + payload + MediaTransport::kSrtpOverhead, 0);
  p[0] = 0x80;
  p[1] = 96;
  p[2] = static_cast<std::uint8_t>(seq >> 8);
  p[3] = static_cast<std::uint8_t>(seq);
  p[8] = static_cast<std::uint8_t>(ssrc >> 24);
  p[9] = static_cast<std::uint8_t>(ssrc >> 16);
  p[10] = static_cast<std::uint8_t>(ssrc >> 8);
  p[11] = static_cast<std::uint8_t>(ssrc);
  for (std::size_t i = 0; i < payload; ++i) p[12 + i] = static_cast<std::uint8_t>(i);
  return p;
}

class MediaTransportTest : public ::testing::Test {
 protected:
  MediaTransportTest()
      : server_(IceCredentials{"srvufrag", "server-password-of-24ch"}, DtlsCertificate::processWide(),
                limits_, wire_, side_, t0_),
        clientCert_(DtlsCertificate::generate()),
        client_(DtlsTransport::Role::Client, clientCert_, DtlsCertificate::processWide()->fingerprint(),
                limits_, clientEnd_) {}

  // A check as the client's full ICE agent sends it, with USE-CANDIDATE.
  Bytes check(std::string_view password) {
    Bytes buf(256);
    stun::StunWriter w(buf, 1, stun::Class::Request, {1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12});
    w.add(stun::Username, "srvufrag:cli");
    w.addUint32(stun::Priority, 0x6e7f1eff);
    w.add(stun::UseCandidate, "");
    w.addMessageIntegrity(password);
    w.addFingerprint();
    return Bytes(w.bytes().begin(), w.bytes().end());
  }

  void toServer(Bytes d) { server_.receive(d, clientAddress(), t0_); }

  // ICE, then the DTLS handshake through the queues.
  void connect() {
    server_.setRemote("cli", clientCert_->fingerprint(), t0_);
    toServer(check("server-password-of-24ch"));
    wire_.datagrams.clear();
    client_.start(t0_);
    for (int round = 0; round < 50 && client_.state() != DtlsTransport::State::Connected; ++round) {
      while (!clientEnd_.toServer.empty()) {
        toServer(std::move(clientEnd_.toServer.front()));
        clientEnd_.toServer.pop_front();
      }
      while (!wire_.datagrams.empty()) {
        client_.feed(wire_.datagrams.front());
        wire_.datagrams.pop_front();
      }
    }
  }

  Limits limits_;
  Clock::time_point t0_{};
  ToClient wire_;
  ServerSide side_;
  MediaTransport server_;
  std::shared_ptr<const DtlsCertificate> clientCert_;
  ClientDtls clientEnd_;
  DtlsTransport client_;
};

TEST_F(MediaTransportTest, AValidCheckIsAnsweredAndIntroducesTheAddress) {
  toServer(check("server-password-of-24ch"));
  ASSERT_EQ(wire_.datagrams.size(), 1u);
  auto response = stun::StunCodec::parse(std::string_view(
      reinterpret_cast<const char*>(wire_.datagrams[0].data()), wire_.datagrams[0].size()));
  ASSERT_TRUE(response);
  EXPECT_EQ(response->cls, stun::Class::Success);
  EXPECT_TRUE(response->integrityValid("server-password-of-24ch"));
  ASSERT_EQ(side_.checked.size(), 1u);
  EXPECT_EQ(side_.checked[0].port, 40000);
  EXPECT_EQ(server_.state(), MediaTransport::State::Connecting);
}

TEST_F(MediaTransportTest, AWrongPasswordGetsNoAnswer) {
  toServer(check("not-the-server-password"));
  EXPECT_TRUE(wire_.datagrams.empty());
  EXPECT_TRUE(side_.checked.empty());
  EXPECT_EQ(server_.state(), MediaTransport::State::New);
}

TEST_F(MediaTransportTest, ARefusedAddressGetsNoAnswer) {
  side_.admit = false;
  toServer(check("server-password-of-24ch"));
  EXPECT_TRUE(wire_.datagrams.empty());
  EXPECT_EQ(server_.counters().refusedChecks, 1u);
}

TEST_F(MediaTransportTest, DtlsThenSrtpBothWays) {
  connect();
  ASSERT_EQ(client_.state(), DtlsTransport::State::Connected);
  ASSERT_EQ(server_.state(), MediaTransport::State::Connected);
  auto clientSrtp = SrtpSession::fromDtls(client_.srtpKeys(), DtlsTransport::Role::Client);
  ASSERT_TRUE(clientSrtp);

  // Client → server: decrypted in place and handed up.
  Bytes packet = rtpPacket(0x11223344, 7, 100);
  auto length = clientSrtp->protectRtp(packet, 112);
  ASSERT_TRUE(length);
  packet.resize(*length);
  toServer(packet);
  ASSERT_EQ(side_.rtp.size(), 1u);
  EXPECT_EQ(side_.rtp[0].size(), 112u);
  EXPECT_EQ(side_.rtp[0][12 + 99], 99);

  // Server → client, to the nominated address.
  wire_.datagrams.clear();
  wire_.to.clear();
  Bytes out = rtpPacket(0x55667788, 9, 50);
  ASSERT_TRUE(server_.sendRtp(out, 62));
  ASSERT_EQ(wire_.datagrams.size(), 1u);
  EXPECT_EQ(wire_.to[0].port, 40000);
  Bytes received = wire_.datagrams[0];
  received.resize(received.size() + MediaTransport::kSrtpOverhead);
  auto plain = clientSrtp->unprotectRtp(received, wire_.datagrams[0].size());
  ASSERT_TRUE(plain);
  EXPECT_EQ(*plain, 62u);
  EXPECT_EQ(server_.counters().rtpIn, 1u);
  EXPECT_EQ(server_.counters().rtpOut, 1u);
}

TEST_F(MediaTransportTest, GarbageAndForgedPacketsAreDroppedAndCounted) {
  connect();
  ASSERT_EQ(server_.state(), MediaTransport::State::Connected);
  toServer(Bytes{0xff, 0x00, 0x01});                      // not STUN, DTLS or RTP
  Bytes forged = rtpPacket(0x11223344, 8, 40);
  forged.resize(12 + 40 + 10);                              // a tag that is not the real one
  toServer(forged);
  toServer(Bytes{0x00, 0x01, 0x00});                      // a STUN type with nothing after it
  EXPECT_TRUE(side_.rtp.empty());
  EXPECT_EQ(server_.counters().dropped, 3u);
}

TEST_F(MediaTransportTest, NothingIsSentBeforeTheTransportIsUp) {
  Bytes out = rtpPacket(1, 1, 10);
  EXPECT_FALSE(server_.sendRtp(out, 22));
  EXPECT_TRUE(wire_.datagrams.empty());
}

TEST_F(MediaTransportTest, AnIceRestartTakesNewCredentialsAndKeepsSrtp) {
  connect();
  ASSERT_EQ(server_.state(), MediaTransport::State::Connected);
  auto clientSrtp = SrtpSession::fromDtls(client_.srtpKeys(), DtlsTransport::Role::Client);
  ASSERT_TRUE(clientSrtp);
  server_.restartIce(IceCredentials{"newufrag", "a-new-password-24-chars!"}, "cli2", t0_);
  EXPECT_EQ(server_.local().ufrag, "newufrag");
  // Media keeps flowing to the last checked address meanwhile.
  wire_.datagrams.clear();
  Bytes out = rtpPacket(0x55667788, 10, 20);
  EXPECT_TRUE(server_.sendRtp(out, 32));
  EXPECT_EQ(wire_.datagrams.size(), 1u);
  // Checks with the old credentials are no longer answered; the new ones are.
  wire_.datagrams.clear();
  toServer(check("server-password-of-24ch"));
  EXPECT_TRUE(wire_.datagrams.empty());
  Bytes buf(256);
  stun::StunWriter w(buf, 1, stun::Class::Request, {9, 9, 9, 9, 9, 9, 9, 9, 9, 9, 9, 9});
  w.add(stun::Username, "newufrag:cli2");
  w.addUint32(stun::Priority, 1);
  w.add(stun::UseCandidate, "");
  w.addMessageIntegrity("a-new-password-24-chars!");
  w.addFingerprint();
  toServer(Bytes(w.bytes().begin(), w.bytes().end()));
  EXPECT_EQ(wire_.datagrams.size(), 1u);
  // And SRTP from the client still decrypts.
  Bytes packet = rtpPacket(0x11223344, 70, 30);
  auto length = clientSrtp->protectRtp(packet, 42);
  ASSERT_TRUE(length);
  packet.resize(*length);
  toServer(packet);
  EXPECT_EQ(side_.rtp.size(), 1u);
  EXPECT_EQ(server_.state(), MediaTransport::State::Connected);
}

TEST_F(MediaTransportTest, ConsentLostClosesTheTransport) {
  connect();
  server_.tick(t0_ + std::chrono::milliseconds(limits_.iceConsentTimeoutMs + 1000));
  EXPECT_EQ(server_.state(), MediaTransport::State::Closed);
  ASSERT_FALSE(side_.states.empty());
  EXPECT_EQ(side_.states.back(), MediaTransport::State::Closed);
}

}  // namespace
}  // namespace aerie
