#pragma once
// The SRTP key derivation function (RFC 3711 section 4.3) with AES-128 in counter mode as its
// PRF (section 4.3.3) and a key derivation rate of 0, the only one DTLS-SRTP uses (RFC 5764
// section 4.1.2). Used for AEAD_AES_128_GCM, whose 96-bit master salt the KDF takes padded with
// zero bits to the 112 bits it expects (RFC 7714 section 11).
#include <cstdint>
#include <span>

namespace aerie {

// Session key labels (RFC 3711 section 4.3.1 and 4.3.2).
enum class SrtpLabel : std::uint8_t {
  RtpEncryption = 0x00,
  RtpAuthentication = 0x01,
  RtpSalt = 0x02,
  RtcpEncryption = 0x03,
  RtcpAuthentication = 0x04,
  RtcpSalt = 0x05,
};

// Fills `out` (at most 32 bytes) with the session key or salt of `label`. `masterKey` is 16 bytes,
// `masterSalt` at most 14. False only if OpenSSL fails or a length is out of range.
bool srtpDeriveKey(std::span<const std::uint8_t> masterKey, std::span<const std::uint8_t> masterSalt,
                   SrtpLabel label, std::span<std::uint8_t> out);

}  // namespace aerie
