#include "media/SrtpKdf.hpp"

#include <openssl/evp.h>

#include <array>
#include <memory>

namespace aerie {

bool srtpDeriveKey(std::span<const std::uint8_t> masterKey, std::span<const std::uint8_t> masterSalt,
                   SrtpLabel label, std::span<std::uint8_t> out) {
  if (masterKey.size() != 16 || masterSalt.size() > 14 || out.size() > 32) return false;
  // x = key_id XOR master_salt, key_id = label || r with r = 0 (48 bits) and the salt aligned to
  // the left of its 112 bits; the counter-mode IV is x * 2^16, so the label lands in byte 7.
  std::array<std::uint8_t, 16> iv{};
  std::copy(masterSalt.begin(), masterSalt.end(), iv.begin());
  iv[7] ^= static_cast<std::uint8_t>(label);
  std::unique_ptr<EVP_CIPHER_CTX, decltype(&EVP_CIPHER_CTX_free)> ctx(EVP_CIPHER_CTX_new(),
                                                                       &EVP_CIPHER_CTX_free);
  const std::array<std::uint8_t, 32> zeros{};
  int n = 0;
  // The keystream is the encryption of zeros.
  return ctx && EVP_EncryptInit_ex(ctx.get(), EVP_aes_128_ctr(), nullptr, masterKey.data(), iv.data()) == 1 &&
         EVP_EncryptUpdate(ctx.get(), out.data(), &n, zeros.data(), static_cast<int>(out.size())) == 1 &&
         n == static_cast<int>(out.size());
}

}  // namespace aerie
