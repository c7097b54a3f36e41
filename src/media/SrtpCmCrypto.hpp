#pragma once
// AES_CM_128_HMAC_SHA1_80 for SRTP and SRTCP (RFC 3711 sections 4.1.1 and 4.2.1) in one
// direction: AES-128 in counter mode on OpenSSL's EVP, keyed once (a packet sets only its IV),
// and HMAC-SHA1 (RFC 2104) truncated to 80 bits, from SHA-1 states that already hold the
// padded key, copied per packet: no allocation, no lock (an EVP_MAC re-initialisation
// duplicates its digest context on OpenSSL 3.0, an allocation per packet).
#include <openssl/sha.h>

#include <array>
#include <cstddef>
#include <cstdint>
#include <memory>
#include <optional>
#include <span>

#include "media/SrtpCipher.hpp"

struct evp_cipher_ctx_st;

namespace aerie {

class SrtpCmCrypto final : public SrtpCipher {
 public:
  static constexpr std::size_t kKeyLength = 16;
  static constexpr std::size_t kSaltLength = 14;
  static constexpr std::size_t kAuthKeyLength = 20;
  static constexpr std::size_t kTagLength = 10;

  struct SessionKeys {
    std::array<std::uint8_t, kKeyLength> rtpKey{};
    std::array<std::uint8_t, kSaltLength> rtpSalt{};
    std::array<std::uint8_t, kAuthKeyLength> rtpAuthKey{};
    std::array<std::uint8_t, kKeyLength> rtcpKey{};
    std::array<std::uint8_t, kSaltLength> rtcpSalt{};
    std::array<std::uint8_t, kAuthKeyLength> rtcpAuthKey{};
  };

  // The session keys of one side from its master key || salt (30 bytes), RFC 3711 KDF.
  static std::optional<SessionKeys> derive(std::span<const std::uint8_t> masterKeySalt);
  // nullptr only if OpenSSL fails.
  static std::unique_ptr<SrtpCmCrypto> create(const SessionKeys& keys);

  ~SrtpCmCrypto() override;
  SrtpCmCrypto(const SrtpCmCrypto&) = delete;
  SrtpCmCrypto& operator=(const SrtpCmCrypto&) = delete;

  std::size_t rtpOverhead() const override { return kTagLength; }
  std::size_t rtcpOverhead() const override { return 4 + kTagLength; }
  // SRTP: the tag authenticates the header, the ciphertext and the rollover counter; it is
  // checked (in constant time) before anything is decrypted.
  bool sealRtp(std::uint8_t* packet, std::size_t headerLength, std::size_t length,
               std::uint32_t ssrc, std::uint32_t roc, std::uint16_t seq) override;
  bool openRtp(std::uint8_t* packet, std::size_t headerLength, std::size_t length,
               std::uint32_t ssrc, std::uint32_t roc, std::uint16_t seq) override;
  // SRTCP: header || ciphertext || E and index || tag, the tag over everything before it.
  bool sealRtcp(std::uint8_t* packet, std::size_t length, std::uint32_t ssrc, std::uint32_t index) override;
  std::uint32_t rtcpIndexWord(const std::uint8_t* packet, std::size_t length) const override;
  bool openRtcp(std::uint8_t* packet, std::size_t length, std::uint32_t ssrc) override;

 private:
  // HMAC-SHA1 with the key already absorbed: the inner and outer states after the padded key.
  struct Hmac {
    SHA_CTX inner;
    SHA_CTX outer;
  };
  struct Kind {
    evp_cipher_ctx_st* cipher = nullptr;
    std::array<std::uint8_t, kSaltLength> salt{};
    Hmac hmac{};
  };

  SrtpCmCrypto() = default;
  static bool keyKind(Kind& kind, const std::array<std::uint8_t, kKeyLength>& key,
                  const std::array<std::uint8_t, kSaltLength>& salt,
                  const std::array<std::uint8_t, kAuthKeyLength>& authKey);
  // The 80-bit tag of data[0, length) followed by `extra` (the ROC; may be empty).
  static void tag(const Hmac& hmac, const std::uint8_t* data, std::size_t length,
                  std::span<const std::uint8_t> extra, std::uint8_t* out);
  static bool crypt(Kind& kind, std::uint32_t ssrc, std::uint64_t index, std::uint8_t* data, std::size_t length);

  Kind rtp_;
  Kind rtcp_;
};

}  // namespace aerie
