#pragma once
// The SRTP protection profile DTLS negotiated (RFC 5764 section 4.1.2, RFC 7714 section 14.2)
// and the master keys it exported for it.
#include <array>
#include <cstddef>
#include <cstdint>
#include <span>

namespace aerie {

enum class SrtpProfile : std::uint8_t {
  None,             // no use_srtp agreed (a data-channel-only transport)
  Aes128CmSha1_80,  // SRTP_AES128_CM_HMAC_SHA1_80, 0x0001: 16-byte key, 14-byte salt
  AeadAes128Gcm,    // SRTP_AEAD_AES_128_GCM, 0x0007: 16-byte key, 12-byte salt
};

constexpr const char* toString(SrtpProfile p) {
  switch (p) {
    case SrtpProfile::None:
      return "none";
    case SrtpProfile::Aes128CmSha1_80:
      return "SRTP_AES128_CM_SHA1_80";
    case SrtpProfile::AeadAes128Gcm:
      return "SRTP_AEAD_AES_128_GCM";
  }
  return "?";
}
constexpr std::size_t srtpKeyLength(SrtpProfile p) {
  return p == SrtpProfile::None ? 0 : 16;
}
constexpr std::size_t srtpSaltLength(SrtpProfile p) {
  return p == SrtpProfile::Aes128CmSha1_80 ? 14 : p == SrtpProfile::AeadAes128Gcm ? 12 : 0;
}

// Each side's master key followed by its master salt, the layout libsrtp takes.
struct SrtpKeys {
  static constexpr std::size_t kMaxKeySalt = 32 + 14;

  SrtpProfile profile = SrtpProfile::None;
  std::array<std::uint8_t, kMaxKeySalt> client{};
  std::array<std::uint8_t, kMaxKeySalt> server{};

  std::size_t length() const { return srtpKeyLength(profile) + srtpSaltLength(profile); }
  std::span<const std::uint8_t> clientKeySalt() const { return std::span(client).first(length()); }
  std::span<const std::uint8_t> serverKeySalt() const { return std::span(server).first(length()); }
};

}  // namespace aerie
