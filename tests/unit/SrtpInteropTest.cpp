// Our SRTP (SrtpContext behind SrtpSession), both profiles: the RFC 7714 and RFC 3711 test
// vectors, and interoperation both ways with libsrtp2 over many packets (header extensions and
// CSRCs, sequence number wraps, several SSRCs, SRTCP), replays and forgeries refused, late
// packets within the window accepted, the SSRC limit.
#include <gtest/gtest.h>
#include <srtp2/srtp.h>

#include <algorithm>
#include <random>

#include "media/SrtpCmCrypto.hpp"
#include "media/SrtpContext.hpp"
#include "media/SrtpGcmCrypto.hpp"
#include "media/SrtpKdf.hpp"
#include "media/SrtpSession.hpp"

namespace aerie {
namespace {

using Bytes = std::vector<std::uint8_t>;

Bytes hex(std::string_view s) {
  Bytes out;
  for (std::size_t i = 0; i + 1 < s.size();) {
    if (s[i] == ' ') {
      ++i;
      continue;
    }
    out.push_back(static_cast<std::uint8_t>(std::stoi(std::string(s.substr(i, 2)), nullptr, 16)));
    i += 2;
  }
  return out;
}

// libsrtp2 keyed with one master key and salt, sending or receiving.
class LibSrtp {
 public:
  LibSrtp(SrtpProfile profile, const Bytes& keySalt, bool outbound, bool rtcpEncrypted = true) {
    static const bool initialised = srtp_init() == srtp_err_status_ok;
    EXPECT_TRUE(initialised);
    srtp_policy_t policy{};
    if (profile == SrtpProfile::AeadAes128Gcm) {
      srtp_crypto_policy_set_aes_gcm_128_16_auth(&policy.rtp);
      srtp_crypto_policy_set_aes_gcm_128_16_auth(&policy.rtcp);
    } else {
      srtp_crypto_policy_set_aes_cm_128_hmac_sha1_80(&policy.rtp);
      srtp_crypto_policy_set_aes_cm_128_hmac_sha1_80(&policy.rtcp);
    }
    if (!rtcpEncrypted) policy.rtcp.sec_serv = sec_serv_auth;
    policy.ssrc.type = outbound ? ssrc_any_outbound : ssrc_any_inbound;
    policy.key = const_cast<unsigned char*>(keySalt.data());
    policy.window_size = 1024;
    policy.allow_repeat_tx = 1;
    EXPECT_EQ(srtp_create(&ctx_, &policy), srtp_err_status_ok);
  }
  ~LibSrtp() { srtp_dealloc(ctx_); }
  LibSrtp(const LibSrtp&) = delete;
  LibSrtp& operator=(const LibSrtp&) = delete;

  // The wire bytes of `plain`, or empty on failure.
  Bytes protect(const Bytes& plain, bool rtcp) {
    Bytes b(plain.size() + 64);
    std::copy(plain.begin(), plain.end(), b.begin());
    int n = static_cast<int>(plain.size());
    const auto status = rtcp ? srtp_protect_rtcp(ctx_, b.data(), &n) : srtp_protect(ctx_, b.data(), &n);
    if (status != srtp_err_status_ok) return {};
    b.resize(static_cast<std::size_t>(n));
    return b;
  }
  // The plain bytes of `wire`, or empty on failure.
  Bytes unprotect(Bytes wire, bool rtcp) {
    int n = static_cast<int>(wire.size());
    const auto status = rtcp ? srtp_unprotect_rtcp(ctx_, wire.data(), &n) : srtp_unprotect(ctx_, wire.data(), &n);
    if (status != srtp_err_status_ok) return {};
    wire.resize(static_cast<std::size_t>(n));
    return wire;
  }

 private:
  srtp_t ctx_ = nullptr;
};

// An RTP packet with `csrcs` CSRCs, a one-byte-header extension of `extensionWords` words when
// not 0, and `payload` bytes.
Bytes rtp(std::uint32_t ssrc, std::uint16_t seq, std::size_t csrcs = 0, std::size_t extensionWords = 0,
          std::size_t payload = 100) {
  Bytes b = {static_cast<std::uint8_t>(0x80 | (extensionWords ? 0x10 : 0) | csrcs), 96,
             static_cast<std::uint8_t>(seq >> 8), static_cast<std::uint8_t>(seq),
             0x11, 0x22, 0x33, 0x44,
             static_cast<std::uint8_t>(ssrc >> 24), static_cast<std::uint8_t>(ssrc >> 16),
             static_cast<std::uint8_t>(ssrc >> 8), static_cast<std::uint8_t>(ssrc)};
  for (std::size_t i = 0; i < csrcs * 4; ++i) b.push_back(static_cast<std::uint8_t>(0xC0 + i));
  if (extensionWords) {
    b.insert(b.end(), {0xBE, 0xDE, 0, static_cast<std::uint8_t>(extensionWords)});
    for (std::size_t i = 0; i < extensionWords * 4; ++i) b.push_back(static_cast<std::uint8_t>(0x10 + i));
  }
  for (std::size_t i = 0; i < payload; ++i) b.push_back(static_cast<std::uint8_t>(seq + i * 13));
  return b;
}

// A compound-looking RTCP packet: a sender report of `ssrc` padded to `words` 32-bit words.
Bytes rtcp(std::uint32_t ssrc, std::size_t words, std::uint8_t fill) {
  Bytes b(words * 4, fill);
  const std::uint8_t header[8] = {0x80, 200, 0, static_cast<std::uint8_t>(words - 1),
                                  static_cast<std::uint8_t>(ssrc >> 24), static_cast<std::uint8_t>(ssrc >> 16),
                                  static_cast<std::uint8_t>(ssrc >> 8), static_cast<std::uint8_t>(ssrc)};
  std::copy(std::begin(header), std::end(header), b.begin());
  return b;
}

Bytes protect(SrtpSession& s, const Bytes& plain, bool isRtcp) {
  Bytes b(plain.size() + 64);
  std::copy(plain.begin(), plain.end(), b.begin());
  auto n = isRtcp ? s.protectRtcp(b, plain.size()) : s.protectRtp(b, plain.size());
  b.resize(n.value_or(0));
  return b;
}

Bytes unprotect(SrtpSession& s, Bytes wire, bool isRtcp) {
  auto n = isRtcp ? s.unprotectRtcp(wire, wire.size()) : s.unprotectRtp(wire, wire.size());
  wire.resize(n.value_or(0));
  return wire;
}

class SrtpInterop : public ::testing::TestWithParam<SrtpProfile> {
 protected:
  void SetUp() override {
    const std::size_t length = srtpKeyLength(GetParam()) + srtpSaltLength(GetParam());
    ours_.resize(length);
    theirs_.resize(length);
    for (std::size_t i = 0; i < length; ++i) {
      ours_[i] = static_cast<std::uint8_t>(i * 7 + 1);
      theirs_[i] = static_cast<std::uint8_t>(0xF0 - i * 3);
    }
    session_ = SrtpSession::create(GetParam(), ours_, theirs_);
    ASSERT_TRUE(session_);
  }
  LibSrtp libsrtp(const Bytes& key, bool outbound, bool rtcpEncrypted = true) const {
    return LibSrtp(GetParam(), key, outbound, rtcpEncrypted);
  }

  Bytes ours_, theirs_;
  std::unique_ptr<SrtpSession> session_;
};

// RFC 7714 section 16.1.1 (SRTP) and 17.1.1 (SRTCP): session key and salt given directly.
TEST(SrtpGcm, Rfc7714TestVectors) {
  SrtpGcmCrypto::SessionKeys keys;
  const Bytes key = hex("000102030405060708090a0b0c0d0e0f");
  const Bytes salt = hex("517569642070726f2071756f");
  std::copy(key.begin(), key.end(), keys.rtpKey.begin());
  std::copy(key.begin(), key.end(), keys.rtcpKey.begin());
  std::copy(salt.begin(), salt.end(), keys.rtpSalt.begin());
  std::copy(salt.begin(), salt.end(), keys.rtcpSalt.begin());
  auto gcm = SrtpContext::fromCiphers(SrtpGcmCrypto::create(keys, true), SrtpGcmCrypto::create(keys, false), 4);
  ASSERT_TRUE(gcm);

  const Bytes plainRtp = hex(
      "8040f17b 8041f8d3 5501a0b2 47616c6c 69612065 7374206f 6d6e6973 20646976 69736120 696e2070 "
      "61727465 73207472 6573");
  const Bytes wireRtp = hex(
      "8040f17b 8041f8d3 5501a0b2 f24de3a3 fb34de6c acba861c 9d7e4bca be633bd5 0d294e6f 42a5f47a "
      "51c7d19b 36de3adf 8833899d 7f27beb1 6a9152cf 765ee439 0cce");
  Bytes b(wireRtp.size());
  std::copy(plainRtp.begin(), plainRtp.end(), b.begin());
  auto r = gcm->protectRtp(b, plainRtp.size());
  ASSERT_EQ(r.status, SrtpContext::Status::Ok);
  EXPECT_EQ(b, wireRtp);
  r = gcm->unprotectRtp(b, b.size());
  ASSERT_EQ(r.status, SrtpContext::Status::Ok);
  b.resize(r.length);
  EXPECT_EQ(b, plainRtp);

  const Bytes plainRtcp = hex(
      "81c8000d 4d617273 4e545031 4e545032 52545020 0000042a 0000e930 4c756e61 deadbeef deadbeef "
      "deadbeef deadbeef deadbeef");
  const Bytes wireRtcp = hex(
      "81c8000d 4d617273 63e94885 dcdab67c a727d766 2f6b7e99 7ff5c0f7 6c06f32d c676a5f1 730d6fda "
      "4ce09b46 86303ded 0bb9275b c84aa458 96cf4d2f c5abf872 45d9eade 800005d4");
  ASSERT_TRUE(gcm->setNextRtcpIndex(0x4d617273, 0x5d4));
  Bytes c(wireRtcp.size());
  std::copy(plainRtcp.begin(), plainRtcp.end(), c.begin());
  r = gcm->protectRtcp(c, plainRtcp.size());
  ASSERT_EQ(r.status, SrtpContext::Status::Ok);
  EXPECT_EQ(c, wireRtcp);
  r = gcm->unprotectRtcp(c, c.size());
  ASSERT_EQ(r.status, SrtpContext::Status::Ok);
  c.resize(r.length);
  EXPECT_EQ(c, plainRtcp);
}

// Three SSRCs, two of which wrap their sequence numbers (rollover counter 1), with varying
// CSRC counts, extensions and sizes: byte for byte what libsrtp sends, and opened by it.
TEST_P(SrtpInterop, RtpOursToLibsrtpAcrossWraps) {
  LibSrtp same = libsrtp(ours_, true), peer = libsrtp(ours_, false);
  const std::array<std::pair<std::uint32_t, std::uint16_t>, 3> streams = {
      {{0x11111111, 65500}, {0x22222222, 40000}, {0x33333333, 12345}}};
  for (int i = 0; i < 30000; ++i) {
    for (auto [ssrc, first] : streams) {
      const Bytes plain = rtp(ssrc, static_cast<std::uint16_t>(first + i), i % 3, (i / 3) % 4, 1 + i % 300);
      const Bytes wire = protect(*session_, plain, false);
      ASSERT_EQ(wire.size(), plain.size() + session_->rtpOverhead()) << i;
      ASSERT_EQ(wire, same.protect(plain, false)) << "packet " << i << " of " << ssrc;
      ASSERT_EQ(peer.unprotect(wire, false), plain) << "packet " << i << " of " << ssrc;
    }
  }
}

TEST_P(SrtpInterop, RtpLibsrtpToOursAcrossWraps) {
  LibSrtp peer = libsrtp(theirs_, true);
  const std::array<std::pair<std::uint32_t, std::uint16_t>, 3> streams = {
      {{0x44444444, 65530}, {0x55555555, 35536}, {0x66666666, 1}}};
  for (int i = 0; i < 30000; ++i) {
    for (auto [ssrc, first] : streams) {
      const Bytes plain = rtp(ssrc, static_cast<std::uint16_t>(first + i), (i + 1) % 4, i % 3, i % 1200);
      ASSERT_EQ(unprotect(*session_, peer.protect(plain, false), false), plain) << "packet " << i << " of " << ssrc;
    }
  }
  EXPECT_EQ(session_->counters().authFailures + session_->counters().replays + session_->counters().otherFailures, 0u);
}

TEST_P(SrtpInterop, RtcpBothWays) {
  LibSrtp out = libsrtp(theirs_, true), in = libsrtp(ours_, false);
  for (int i = 0; i < 3000; ++i) {
    const std::uint32_t ssrc = i % 2 ? 0xAAAA0001 : 0xBBBB0002;
    const Bytes plain = rtcp(ssrc, 2 + i % 40, static_cast<std::uint8_t>(i));
    const Bytes wire = protect(*session_, plain, true);
    ASSERT_EQ(wire.size(), plain.size() + session_->rtcpOverhead());
    ASSERT_EQ(in.unprotect(wire, true), plain) << i;
    ASSERT_EQ(unprotect(*session_, out.protect(plain, true), true), plain) << i;
  }
}

// RFC 3711 section 3.4, RFC 7714 section 9.3: SRTCP with E = 0 is authenticated, not encrypted.
TEST_P(SrtpInterop, UnencryptedRtcpFromLibsrtpIsAuthenticated) {
  LibSrtp out = libsrtp(theirs_, true, false);
  const Bytes plain = rtcp(0x01020304, 7, 0x5A);
  Bytes wire = out.protect(plain, true);
  ASSERT_FALSE(wire.empty());
  // The E flag: after the tag for GCM (RFC 7714 section 9.2), before it for AES-CM.
  EXPECT_EQ(wire[wire.size() - (GetParam() == SrtpProfile::AeadAes128Gcm ? 4 : 14)] & 0x80, 0);
  EXPECT_TRUE(std::equal(plain.begin(), plain.end(), wire.begin()));
  EXPECT_EQ(unprotect(*session_, wire, true), plain);
  Bytes forged = out.protect(plain, true);
  forged[10] ^= 1;
  EXPECT_TRUE(unprotect(*session_, forged, true).empty());
  EXPECT_EQ(session_->counters().authFailures, 1u);
}

// Reordered and late packets inside the 1,024-packet window are accepted once; copies, and
// packets older than the window, are refused as replays; a forged tag neither opens nor moves
// the window.
TEST_P(SrtpInterop, ReplaysLateAndForgedPackets) {
  LibSrtp peer = libsrtp(theirs_, true);
  std::vector<Bytes> wire;
  for (std::uint16_t seq = 65000; wire.size() < 3000; ++seq) wire.push_back(peer.protect(rtp(7, seq), false));
  // Delivered in shuffled blocks of 64, with packets 1000 and 100 held back.
  std::mt19937 random(1);
  std::vector<std::size_t> order(2000);
  for (std::size_t i = 0; i < order.size(); ++i) order[i] = i;
  for (std::size_t at = 0; at < order.size(); at += 64) {
    std::shuffle(order.begin() + at, order.begin() + std::min(at + 64, order.size()), random);
  }
  for (std::size_t i : order) {
    if (i == 1000 || i == 100) continue;
    ASSERT_FALSE(unprotect(*session_, wire[i], false).empty()) << i;
  }
  EXPECT_FALSE(unprotect(*session_, wire[1000], false).empty());  // 999 behind: within the window
  EXPECT_TRUE(unprotect(*session_, wire[100], false).empty());    // 1,899 behind: too old
  EXPECT_TRUE(unprotect(*session_, wire[1999], false).empty());   // a copy
  EXPECT_TRUE(unprotect(*session_, wire[1500], false).empty());
  EXPECT_EQ(session_->counters().replays, 3u);

  for (std::size_t byte : {wire[2000].size() - 1, std::size_t{1}, std::size_t{20}}) {
    Bytes forged = wire[2000];
    forged[byte] ^= 0x40;  // the tag, the header (authenticated data), the payload
    EXPECT_TRUE(unprotect(*session_, forged, false).empty());
  }
  EXPECT_EQ(session_->counters().authFailures, 3u);
  EXPECT_FALSE(unprotect(*session_, wire[2000], false).empty());

  // Far ahead (a loss of 900 packets) and then back within the window.
  EXPECT_FALSE(unprotect(*session_, wire[2900], false).empty());
  EXPECT_FALSE(unprotect(*session_, wire[2001], false).empty());
  EXPECT_TRUE(unprotect(*session_, wire[1800], false).empty());

  // SRTCP replays likewise.
  const Bytes control = peer.protect(rtcp(7, 5, 1), true);
  EXPECT_FALSE(unprotect(*session_, control, true).empty());
  EXPECT_TRUE(unprotect(*session_, control, true).empty());
  EXPECT_EQ(session_->counters().replays, 5u);
}

// A retransmission of a number from before the wrap keeps rollover counter 0 (NACK without RTX).
TEST_P(SrtpInterop, RetransmissionsAcrossAWrapKeepTheirRolloverCounter) {
  LibSrtp peer = libsrtp(ours_, false);
  for (std::uint16_t seq : {65530, 65535, 0, 2}) {
    ASSERT_FALSE(peer.unprotect(protect(*session_, rtp(9, seq), false), false).empty()) << seq;
  }
  EXPECT_EQ(peer.unprotect(protect(*session_, rtp(9, 65533), false), false), rtp(9, 65533));
  EXPECT_EQ(peer.unprotect(protect(*session_, rtp(9, 1), false), false), rtp(9, 1));
}

INSTANTIATE_TEST_SUITE_P(Profiles, SrtpInterop,
                         ::testing::Values(SrtpProfile::AeadAes128Gcm, SrtpProfile::Aes128CmSha1_80),
                         [](const auto& info) {
                           return info.param == SrtpProfile::AeadAes128Gcm ? std::string("AeadAes128Gcm")
                                                                           : std::string("Aes128CmSha1_80");
                         });

// RFC 3711 appendix B.3: the key derivation's session encryption key, salt and authentication
// key (the first 20 of the vector's bytes) from a master key and salt.
TEST(SrtpKdf, Rfc3711TestVector) {
  const Bytes key = hex("E1F97A0D3E018BE0D64FA32C06DE4139");
  const Bytes salt = hex("0EC675AD498AFEEBB6960B3AABE6");
  Bytes out(16);
  ASSERT_TRUE(srtpDeriveKey(key, salt, SrtpLabel::RtpEncryption, out));
  EXPECT_EQ(out, hex("C61E7A93744F39EE10734AFE3FF7A087"));
  out.resize(14);
  ASSERT_TRUE(srtpDeriveKey(key, salt, SrtpLabel::RtpSalt, out));
  EXPECT_EQ(out, hex("30CBBC08863D8C85D49DB34A9AE1"));
  out.resize(20);
  ASSERT_TRUE(srtpDeriveKey(key, salt, SrtpLabel::RtpAuthentication, out));
  EXPECT_EQ(out, hex("CEBE321F6FF7716B6FD4AB49AF256A156D38BAA4"));
}

// RFC 3711 appendix B.2: the AES-CM keystream for session key 2B7E...3C, salt F0F1...FD, SSRC 0
// and index 0 (a zero payload encrypts to the keystream itself).
TEST(SrtpCm, Rfc3711KeystreamVector) {
  SrtpCmCrypto::SessionKeys keys;
  const Bytes key = hex("2B7E151628AED2A6ABF7158809CF4F3C");
  const Bytes salt = hex("F0F1F2F3F4F5F6F7F8F9FAFBFCFD");
  std::copy(key.begin(), key.end(), keys.rtpKey.begin());
  std::copy(salt.begin(), salt.end(), keys.rtpSalt.begin());
  auto cm = SrtpCmCrypto::create(keys);
  ASSERT_TRUE(cm);
  Bytes packet(12 + 48 + 10);
  packet[0] = 0x80;
  ASSERT_TRUE(cm->sealRtp(packet.data(), 12, 60, 0, 0, 0));
  EXPECT_EQ(Bytes(packet.begin() + 12, packet.begin() + 60),
            hex("E03EAD0935C95E80E166B16DD92B4EB4 D23513162B02D0F72A43A2FE4A5F97AB 41E95B3BB0A2E8DD477901E4FCA894C0"));
}

TEST(SrtpGcm, SsrcsBeyondTheLimitAreDroppedAndCounted) {
  const Bytes ours(28, 1), theirs(28, 2);
  auto session = SrtpSession::create(SrtpProfile::AeadAes128Gcm, ours, theirs, 3);
  ASSERT_TRUE(session);
  for (std::uint32_t ssrc = 1; ssrc <= 3; ++ssrc) EXPECT_FALSE(protect(*session, rtp(ssrc, 1), false).empty());
  EXPECT_TRUE(protect(*session, rtp(4, 1), false).empty());
  EXPECT_TRUE(protect(*session, rtcp(5, 3, 0), true).empty());
  EXPECT_FALSE(protect(*session, rtcp(2, 3, 0), true).empty());  // RTP and RTCP of an SSRC: one stream
  EXPECT_EQ(session->counters().tooManyStreams, 2u);

  // Inbound: forged packets of new SSRCs take no room; authenticated ones do.
  LibSrtp peer(SrtpProfile::AeadAes128Gcm, theirs, true);
  for (std::uint32_t ssrc = 100; ssrc < 110; ++ssrc) {
    Bytes forged = peer.protect(rtp(ssrc, 1), false);
    forged.back() ^= 1;
    EXPECT_TRUE(unprotect(*session, forged, false).empty());
  }
  EXPECT_EQ(session->counters().authFailures, 10u);
  for (std::uint32_t ssrc = 200; ssrc < 203; ++ssrc) {
    EXPECT_FALSE(unprotect(*session, peer.protect(rtp(ssrc, 1), false), false).empty());
  }
  EXPECT_TRUE(unprotect(*session, peer.protect(rtp(203, 1), false), false).empty());
  EXPECT_TRUE(unprotect(*session, peer.protect(rtcp(204, 3, 0), true), true).empty());
  EXPECT_FALSE(unprotect(*session, peer.protect(rtp(201, 2), false), false).empty());
  EXPECT_EQ(session->counters().tooManyStreams, 4u);
}

// Headers that claim more than the packet holds are refused before any crypto.
TEST(SrtpGcm, MalformedHeadersAreRefused) {
  const Bytes key(28, 3);
  auto session = SrtpSession::create(SrtpProfile::AeadAes128Gcm, key, key);
  ASSERT_TRUE(session);
  Bytes plain = rtp(1, 1, 15, 0, 8);  // 15 CSRCs: a 72-byte header, 8 bytes of payload
  Bytes wire = protect(*session, plain, false);
  ASSERT_FALSE(wire.empty());
  wire.resize(12 + 4 * 15 + 8);  // cut into the tag: the header no longer fits before it
  EXPECT_TRUE(unprotect(*session, wire, false).empty());
  Bytes extension = rtp(1, 2, 0, 1, 0);
  extension[15] = 200;  // an extension of 200 words
  EXPECT_TRUE(protect(*session, extension, false).empty());
  Bytes version1 = rtp(1, 3);
  version1[0] = 0x40;
  EXPECT_TRUE(protect(*session, version1, false).empty());
  EXPECT_EQ(session->counters().otherFailures, 3u);
  EXPECT_EQ(session->counters().authFailures, 0u);
}

}  // namespace
}  // namespace aerie
