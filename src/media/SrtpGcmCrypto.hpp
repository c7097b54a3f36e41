#pragma once
// AEAD_AES_128_GCM for SRTP and SRTCP (RFC 7714) in one direction, on OpenSSL's EVP (AES-NI
// and carry-less multiplication where the CPU has them). One cipher context for RTP and one for
// RTCP, keyed once; a packet sets only its IV.
#include <array>
#include <cstddef>
#include <cstdint>
#include <memory>
#include <optional>
#include <span>

#include "media/SrtpCipher.hpp"

struct evp_cipher_ctx_st;

namespace aerie {

class SrtpGcmCrypto final : public SrtpCipher {
 public:
  static constexpr std::size_t kKeyLength = 16;
  static constexpr std::size_t kSaltLength = 12;
  static constexpr std::size_t kTagLength = 16;
  static constexpr std::size_t kRtcpTrailerLength = 4;  // E flag and 31-bit SRTCP index

  struct SessionKeys {
    std::array<std::uint8_t, kKeyLength> rtpKey{};
    std::array<std::uint8_t, kSaltLength> rtpSalt{};
    std::array<std::uint8_t, kKeyLength> rtcpKey{};
    std::array<std::uint8_t, kSaltLength> rtcpSalt{};
  };

  // The session keys of one side from its master key and salt (key || salt, 28 bytes) by the
  // RFC 3711 KDF; nullopt for a wrong length.
  static std::optional<SessionKeys> derive(std::span<const std::uint8_t> masterKeySalt);
  // nullptr only if OpenSSL fails.
  static std::unique_ptr<SrtpGcmCrypto> create(const SessionKeys& keys, bool encrypt);

  ~SrtpGcmCrypto() override;
  SrtpGcmCrypto(const SrtpGcmCrypto&) = delete;
  SrtpGcmCrypto& operator=(const SrtpGcmCrypto&) = delete;

  std::size_t rtpOverhead() const override { return kTagLength; }
  std::size_t rtcpOverhead() const override { return kTagLength + kRtcpTrailerLength; }
  // SRTP (RFC 7714 section 8): the header is the authenticated data. A packet whose tag does
  // not match is left garbage.
  bool sealRtp(std::uint8_t* packet, std::size_t headerLength, std::size_t length,
               std::uint32_t ssrc, std::uint32_t roc, std::uint16_t seq) override;
  bool openRtp(std::uint8_t* packet, std::size_t headerLength, std::size_t length,
               std::uint32_t ssrc, std::uint32_t roc, std::uint16_t seq) override;
  // SRTCP (RFC 7714 section 9): header || ciphertext || tag || E and index.
  bool sealRtcp(std::uint8_t* packet, std::size_t length, std::uint32_t ssrc, std::uint32_t index) override;
  std::uint32_t rtcpIndexWord(const std::uint8_t* packet, std::size_t length) const override;
  bool openRtcp(std::uint8_t* packet, std::size_t length, std::uint32_t ssrc) override;

 private:
  SrtpGcmCrypto(evp_cipher_ctx_st* rtp, evp_cipher_ctx_st* rtcp, const SessionKeys& keys, bool encrypt);

  evp_cipher_ctx_st* rtp_;
  evp_cipher_ctx_st* rtcp_;
  std::array<std::uint8_t, kSaltLength> rtpSalt_;
  std::array<std::uint8_t, kSaltLength> rtcpSalt_;
  bool encrypt_;
};

}  // namespace aerie
