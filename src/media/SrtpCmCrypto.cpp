// The SHA-1 block functions OpenSSL 3 marks deprecated are the only way to copy an HMAC state
// without an allocation; they remain supported throughout 3.x.
#define OPENSSL_SUPPRESS_DEPRECATED
#include "media/SrtpCmCrypto.hpp"

#include <openssl/crypto.h>
#include <openssl/evp.h>

#include "media/SrtpByteOrder.hpp"
#include "media/SrtpKdf.hpp"

namespace aerie {

using srtp::get32;
using srtp::put32;

std::optional<SrtpCmCrypto::SessionKeys> SrtpCmCrypto::derive(std::span<const std::uint8_t> masterKeySalt) {
  if (masterKeySalt.size() != kKeyLength + kSaltLength) return std::nullopt;
  const auto key = masterKeySalt.first(kKeyLength);
  const auto salt = masterKeySalt.subspan(kKeyLength);
  SessionKeys k;
  if (!srtpDeriveKey(key, salt, SrtpLabel::RtpEncryption, k.rtpKey) ||
      !srtpDeriveKey(key, salt, SrtpLabel::RtpAuthentication, k.rtpAuthKey) ||
      !srtpDeriveKey(key, salt, SrtpLabel::RtpSalt, k.rtpSalt) ||
      !srtpDeriveKey(key, salt, SrtpLabel::RtcpEncryption, k.rtcpKey) ||
      !srtpDeriveKey(key, salt, SrtpLabel::RtcpAuthentication, k.rtcpAuthKey) ||
      !srtpDeriveKey(key, salt, SrtpLabel::RtcpSalt, k.rtcpSalt)) {
    return std::nullopt;
  }
  return k;
}

std::unique_ptr<SrtpCmCrypto> SrtpCmCrypto::create(const SessionKeys& keys) {
  std::unique_ptr<SrtpCmCrypto> c(new SrtpCmCrypto());
  if (!keyKind(c->rtp_, keys.rtpKey, keys.rtpSalt, keys.rtpAuthKey) ||
      !keyKind(c->rtcp_, keys.rtcpKey, keys.rtcpSalt, keys.rtcpAuthKey)) {
    return nullptr;
  }
  return c;
}

SrtpCmCrypto::~SrtpCmCrypto() {
  for (Kind* k : {&rtp_, &rtcp_}) {
    EVP_CIPHER_CTX_free(k->cipher);
    OPENSSL_cleanse(&k->hmac, sizeof k->hmac);
  }
}

bool SrtpCmCrypto::keyKind(Kind& kind, const std::array<std::uint8_t, kKeyLength>& key,
                       const std::array<std::uint8_t, kSaltLength>& salt,
                       const std::array<std::uint8_t, kAuthKeyLength>& authKey) {
  kind.cipher = EVP_CIPHER_CTX_new();
  if (!kind.cipher || EVP_EncryptInit_ex(kind.cipher, EVP_aes_128_ctr(), nullptr, key.data(), nullptr) != 1) {
    return false;
  }
  kind.salt = salt;
  // RFC 2104: the key (shorter than SHA-1's 64-byte block) padded with zeros, XOR ipad / opad.
  std::array<std::uint8_t, 64> inner{}, outer{};
  for (std::size_t i = 0; i < inner.size(); ++i) {
    const std::uint8_t k = i < authKey.size() ? authKey[i] : 0;
    inner[i] = k ^ 0x36;
    outer[i] = k ^ 0x5C;
  }
  const bool ok = SHA1_Init(&kind.hmac.inner) == 1 && SHA1_Update(&kind.hmac.inner, inner.data(), inner.size()) == 1 &&
                  SHA1_Init(&kind.hmac.outer) == 1 && SHA1_Update(&kind.hmac.outer, outer.data(), outer.size()) == 1;
  OPENSSL_cleanse(inner.data(), inner.size());
  OPENSSL_cleanse(outer.data(), outer.size());
  return ok;
}

void SrtpCmCrypto::tag(const Hmac& hmac, const std::uint8_t* data, std::size_t length,
                       std::span<const std::uint8_t> extra, std::uint8_t* out) {
  std::uint8_t digest[SHA_DIGEST_LENGTH];
  SHA_CTX c = hmac.inner;
  SHA1_Update(&c, data, length);
  if (!extra.empty()) SHA1_Update(&c, extra.data(), extra.size());
  SHA1_Final(digest, &c);
  c = hmac.outer;
  SHA1_Update(&c, digest, sizeof digest);
  SHA1_Final(digest, &c);
  std::copy(digest, digest + kTagLength, out);
}

// RFC 3711 section 4.1.1: IV = (salt * 2^16) XOR (SSRC * 2^64) XOR (index * 2^16).
bool SrtpCmCrypto::crypt(Kind& kind, std::uint32_t ssrc, std::uint64_t index, std::uint8_t* data, std::size_t length) {
  std::array<std::uint8_t, 16> iv{};
  std::copy(kind.salt.begin(), kind.salt.end(), iv.begin());
  iv[4] ^= static_cast<std::uint8_t>(ssrc >> 24);
  iv[5] ^= static_cast<std::uint8_t>(ssrc >> 16);
  iv[6] ^= static_cast<std::uint8_t>(ssrc >> 8);
  iv[7] ^= static_cast<std::uint8_t>(ssrc);
  for (int i = 0; i < 6; ++i) iv[13 - i] ^= static_cast<std::uint8_t>(index >> (8 * i));
  int n = 0;
  return EVP_EncryptInit_ex(kind.cipher, nullptr, nullptr, nullptr, iv.data()) == 1 &&
         (length == 0 || EVP_EncryptUpdate(kind.cipher, data, &n, data, static_cast<int>(length)) == 1);
}

bool SrtpCmCrypto::sealRtp(std::uint8_t* packet, std::size_t headerLength, std::size_t length,
                           std::uint32_t ssrc, std::uint32_t roc, std::uint16_t seq) {
  if (!crypt(rtp_, ssrc, static_cast<std::uint64_t>(roc) << 16 | seq, packet + headerLength, length - headerLength)) {
    return false;
  }
  std::uint8_t rocBytes[4];
  put32(rocBytes, roc);
  tag(rtp_.hmac, packet, length, rocBytes, packet + length);
  return true;
}

bool SrtpCmCrypto::openRtp(std::uint8_t* packet, std::size_t headerLength, std::size_t length,
                           std::uint32_t ssrc, std::uint32_t roc, std::uint16_t seq) {
  const std::size_t end = length - kTagLength;
  std::uint8_t rocBytes[4];
  put32(rocBytes, roc);
  std::uint8_t expected[kTagLength];
  tag(rtp_.hmac, packet, end, rocBytes, expected);
  if (CRYPTO_memcmp(expected, packet + end, kTagLength) != 0) return false;
  return crypt(rtp_, ssrc, static_cast<std::uint64_t>(roc) << 16 | seq, packet + headerLength, end - headerLength);
}

bool SrtpCmCrypto::sealRtcp(std::uint8_t* packet, std::size_t length, std::uint32_t ssrc, std::uint32_t index) {
  if (!crypt(rtcp_, ssrc, index & 0x7FFFFFFFu, packet + 8, length - 8)) return false;
  put32(packet + length, 0x80000000u | index);
  tag(rtcp_.hmac, packet, length + 4, {}, packet + length + 4);
  return true;
}

std::uint32_t SrtpCmCrypto::rtcpIndexWord(const std::uint8_t* packet, std::size_t length) const {
  return get32(packet + length - kTagLength - 4);
}

bool SrtpCmCrypto::openRtcp(std::uint8_t* packet, std::size_t length, std::uint32_t ssrc) {
  const std::size_t end = length - kTagLength;
  std::uint8_t expected[kTagLength];
  tag(rtcp_.hmac, packet, end, {}, expected);
  if (CRYPTO_memcmp(expected, packet + end, kTagLength) != 0) return false;
  const std::uint32_t word = rtcpIndexWord(packet, length);
  if ((word & 0x80000000u) == 0) return true;  // E = 0: authenticated only
  return crypt(rtcp_, ssrc, word & 0x7FFFFFFFu, packet + 8, end - 4 - 8);
}

}  // namespace aerie
