#pragma once
// AEAD_AES_128_GCM for SRTP and SRTCP (RFC 7714) in one direction, on OpenSSL's EVP (AES-NI
// and carry-less multiplication where the CPU has them): the packet transforms only, without
// per-stream state (SrtpGcmContext keeps that). One cipher context for RTP and one for RTCP,
// keyed once; a packet sets only its IV, so nothing is allocated or locked per packet.
// Everything happens in the caller's buffer; the caller has checked the lengths.
#include <array>
#include <cstddef>
#include <cstdint>
#include <memory>
#include <optional>
#include <span>

struct evp_cipher_ctx_st;

namespace aerie {

class SrtpGcmCrypto {
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

  ~SrtpGcmCrypto();
  SrtpGcmCrypto(const SrtpGcmCrypto&) = delete;
  SrtpGcmCrypto& operator=(const SrtpGcmCrypto&) = delete;

  // SRTP (RFC 7714 section 8): the header packet[0, headerLength) is authenticated, the rest
  // of packet[0, length) encrypted in place, and the tag written at packet[length]. The
  // packet's index is `roc` and `seq`.
  bool sealRtp(std::uint8_t* packet, std::size_t headerLength, std::size_t length,
               std::uint32_t ssrc, std::uint32_t roc, std::uint16_t seq);
  // The reverse, `length` counting the tag; false when the tag does not match (the payload
  // is then garbage).
  bool openRtp(std::uint8_t* packet, std::size_t headerLength, std::size_t length,
               std::uint32_t ssrc, std::uint32_t roc, std::uint16_t seq);

  // SRTCP (RFC 7714 section 9), always encrypted (E = 1): packet[8, length) encrypted in place,
  // then the tag and the E flag with `index` (below 2^31) appended.
  bool sealRtcp(std::uint8_t* packet, std::size_t length, std::uint32_t ssrc, std::uint32_t index);
  // The reverse for a packet of `length` bytes with tag and trailer, encrypted or not (E = 0:
  // the whole packet is authenticated data).
  bool openRtcp(std::uint8_t* packet, std::size_t length, std::uint32_t ssrc);

 private:
  SrtpGcmCrypto(evp_cipher_ctx_st* rtp, evp_cipher_ctx_st* rtcp, const SessionKeys& keys, bool encrypt);

  evp_cipher_ctx_st* rtp_;
  evp_cipher_ctx_st* rtcp_;
  std::array<std::uint8_t, kSaltLength> rtpSalt_;
  std::array<std::uint8_t, kSaltLength> rtcpSalt_;
  bool encrypt_;
};

}  // namespace aerie
