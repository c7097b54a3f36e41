#include "media/SrtpGcmCrypto.hpp"

#include <openssl/evp.h>

#include "media/SrtpByteOrder.hpp"
#include "media/SrtpKdf.hpp"

namespace aerie {
namespace {

using srtp::get32;
using srtp::put32;

using Iv = std::array<std::uint8_t, SrtpGcmCrypto::kSaltLength>;

// RFC 7714 section 8.1: 00 00 || SSRC || ROC || SEQ, XOR the session salt.
Iv rtpIv(const Iv& salt, std::uint32_t ssrc, std::uint32_t roc, std::uint16_t seq) {
  Iv iv{};
  put32(&iv[2], ssrc);
  put32(&iv[6], roc);
  iv[10] = static_cast<std::uint8_t>(seq >> 8);
  iv[11] = static_cast<std::uint8_t>(seq);
  for (std::size_t i = 0; i < iv.size(); ++i) iv[i] ^= salt[i];
  return iv;
}

// RFC 7714 section 9.1: 00 00 || SSRC || 00 00 || 0 || SRTCP index, XOR the session salt.
Iv rtcpIv(const Iv& salt, std::uint32_t ssrc, std::uint32_t index) {
  Iv iv{};
  put32(&iv[2], ssrc);
  put32(&iv[8], index & 0x7FFFFFFFu);
  for (std::size_t i = 0; i < iv.size(); ++i) iv[i] ^= salt[i];
  return iv;
}

EVP_CIPHER_CTX* keyed(const std::array<std::uint8_t, SrtpGcmCrypto::kKeyLength>& key, bool encrypt) {
  EVP_CIPHER_CTX* ctx = EVP_CIPHER_CTX_new();
  // The default GCM IV length is the 12 bytes RFC 7714 uses.
  if (ctx && EVP_CipherInit_ex(ctx, EVP_aes_128_gcm(), nullptr, key.data(), nullptr, encrypt ? 1 : 0) == 1) {
    return ctx;
  }
  EVP_CIPHER_CTX_free(ctx);
  return nullptr;
}

// One AEAD operation: a new IV on the keyed context, the authenticated data (up to two
// pieces), `data` en- or decrypted in place, and the tag produced into or checked against
// `tag`. OpenSSL compares the tag in constant time (CRYPTO_memcmp in its GCM finish).
bool aead(EVP_CIPHER_CTX* ctx, bool encrypt, const Iv& iv, const std::uint8_t* aad, std::size_t aadLength,
          const std::uint8_t* aad2, std::size_t aad2Length, std::uint8_t* data, std::size_t dataLength,
          std::uint8_t* tag) {
  int n = 0;
  if (EVP_CipherInit_ex(ctx, nullptr, nullptr, nullptr, iv.data(), encrypt ? 1 : 0) != 1) return false;
  if (aadLength != 0 && EVP_CipherUpdate(ctx, nullptr, &n, aad, static_cast<int>(aadLength)) != 1) return false;
  if (aad2Length != 0 && EVP_CipherUpdate(ctx, nullptr, &n, aad2, static_cast<int>(aad2Length)) != 1) return false;
  if (dataLength != 0 && EVP_CipherUpdate(ctx, data, &n, data, static_cast<int>(dataLength)) != 1) return false;
  if (encrypt) {
    return EVP_CipherFinal_ex(ctx, data + dataLength, &n) == 1 &&
           EVP_CIPHER_CTX_ctrl(ctx, EVP_CTRL_GCM_GET_TAG, SrtpGcmCrypto::kTagLength, tag) == 1;
  }
  return EVP_CIPHER_CTX_ctrl(ctx, EVP_CTRL_GCM_SET_TAG, SrtpGcmCrypto::kTagLength, tag) == 1 &&
         EVP_CipherFinal_ex(ctx, data + dataLength, &n) == 1;
}

}  // namespace

std::optional<SrtpGcmCrypto::SessionKeys> SrtpGcmCrypto::derive(std::span<const std::uint8_t> masterKeySalt) {
  if (masterKeySalt.size() != kKeyLength + kSaltLength) return std::nullopt;
  const auto key = masterKeySalt.first(kKeyLength);
  const auto salt = masterKeySalt.subspan(kKeyLength);
  SessionKeys k;
  if (!srtpDeriveKey(key, salt, SrtpLabel::RtpEncryption, k.rtpKey) ||
      !srtpDeriveKey(key, salt, SrtpLabel::RtpSalt, k.rtpSalt) ||
      !srtpDeriveKey(key, salt, SrtpLabel::RtcpEncryption, k.rtcpKey) ||
      !srtpDeriveKey(key, salt, SrtpLabel::RtcpSalt, k.rtcpSalt)) {
    return std::nullopt;
  }
  return k;
}

std::unique_ptr<SrtpGcmCrypto> SrtpGcmCrypto::create(const SessionKeys& keys, bool encrypt) {
  EVP_CIPHER_CTX* rtp = keyed(keys.rtpKey, encrypt);
  EVP_CIPHER_CTX* rtcp = rtp ? keyed(keys.rtcpKey, encrypt) : nullptr;
  if (!rtcp) {
    EVP_CIPHER_CTX_free(rtp);
    return nullptr;
  }
  return std::unique_ptr<SrtpGcmCrypto>(new SrtpGcmCrypto(rtp, rtcp, keys, encrypt));
}

SrtpGcmCrypto::SrtpGcmCrypto(EVP_CIPHER_CTX* rtp, EVP_CIPHER_CTX* rtcp, const SessionKeys& keys, bool encrypt)
    : rtp_(rtp), rtcp_(rtcp), rtpSalt_(keys.rtpSalt), rtcpSalt_(keys.rtcpSalt), encrypt_(encrypt) {}

SrtpGcmCrypto::~SrtpGcmCrypto() {
  EVP_CIPHER_CTX_free(rtp_);
  EVP_CIPHER_CTX_free(rtcp_);
}

bool SrtpGcmCrypto::sealRtp(std::uint8_t* packet, std::size_t headerLength, std::size_t length,
                            std::uint32_t ssrc, std::uint32_t roc, std::uint16_t seq) {
  // RFC 7714 section 8.2: the AAD is the whole header, CSRCs and extension included.
  return encrypt_ && aead(rtp_, true, rtpIv(rtpSalt_, ssrc, roc, seq), packet, headerLength, nullptr, 0,
                          packet + headerLength, length - headerLength, packet + length);
}

bool SrtpGcmCrypto::openRtp(std::uint8_t* packet, std::size_t headerLength, std::size_t length,
                            std::uint32_t ssrc, std::uint32_t roc, std::uint16_t seq) {
  const std::size_t end = length - kTagLength;
  return !encrypt_ && aead(rtp_, false, rtpIv(rtpSalt_, ssrc, roc, seq), packet, headerLength, nullptr, 0,
                           packet + headerLength, end - headerLength, packet + end);
}

bool SrtpGcmCrypto::sealRtcp(std::uint8_t* packet, std::size_t length, std::uint32_t ssrc, std::uint32_t index) {
  if (!encrypt_) return false;
  // RFC 7714 section 9.2: header (8 bytes) || ciphertext || tag || E=1 and index; the AAD is the
  // header and the E flag with the index.
  std::uint8_t* trailer = packet + length + kTagLength;
  put32(trailer, 0x80000000u | index);
  return aead(rtcp_, true, rtcpIv(rtcpSalt_, ssrc, index), packet, 8, trailer, kRtcpTrailerLength, packet + 8,
              length - 8, packet + length);
}

std::uint32_t SrtpGcmCrypto::rtcpIndexWord(const std::uint8_t* packet, std::size_t length) const {
  return get32(packet + length - kRtcpTrailerLength);
}

bool SrtpGcmCrypto::openRtcp(std::uint8_t* packet, std::size_t length, std::uint32_t ssrc) {
  if (encrypt_) return false;
  const std::uint8_t* trailer = packet + length - kRtcpTrailerLength;
  const std::size_t end = length - kRtcpTrailerLength - kTagLength;
  const std::uint32_t word = rtcpIndexWord(packet, length);
  const Iv iv = rtcpIv(rtcpSalt_, ssrc, word);
  if (word & 0x80000000u) {
    return aead(rtcp_, false, iv, packet, 8, trailer, kRtcpTrailerLength, packet + 8, end - 8, packet + end);
  }
  // RFC 7714 section 9.3: not encrypted, the whole packet is authenticated data.
  return aead(rtcp_, false, iv, packet, end, trailer, kRtcpTrailerLength, nullptr, 0, packet + end);
}

}  // namespace aerie
