#include "core/Crypto.hpp"

#include <openssl/crypto.h>
#include <openssl/evp.h>
#include <openssl/hmac.h>
#include <openssl/rand.h>
#include <openssl/sha.h>

#include <array>
#include <cstdint>
#include <stdexcept>

namespace aerie::crypto {
namespace {

constexpr std::string_view kStdAlphabet =
    "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
constexpr std::string_view kUrlAlphabet =
    "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";

const unsigned char* bytesOf(std::string_view s) {
  return reinterpret_cast<const unsigned char*>(s.data());
}

std::string hmac(const EVP_MD* md, std::string_view key, std::string_view data) {
  std::array<unsigned char, EVP_MAX_MD_SIZE> out{};
  unsigned int outLen = 0;
  // OpenSSL 3 rejects a null key pointer even with length 0; an empty key is legal HMAC.
  static const unsigned char kEmpty = 0;
  const unsigned char* keyPtr = key.empty() ? &kEmpty : bytesOf(key);
  if (HMAC(md, keyPtr, static_cast<int>(key.size()), bytesOf(data), data.size(), out.data(),
           &outLen) == nullptr) {
    throw std::runtime_error("HMAC computation failed");
  }
  return std::string(reinterpret_cast<const char*>(out.data()), outLen);
}

std::string encode(std::string_view bytes, std::string_view alphabet, bool pad) {
  std::string out;
  out.reserve((bytes.size() + 2) / 3 * 4);
  std::size_t i = 0;
  for (; i + 3 <= bytes.size(); i += 3) {
    const std::uint32_t v = (std::uint32_t(std::uint8_t(bytes[i])) << 16) |
                            (std::uint32_t(std::uint8_t(bytes[i + 1])) << 8) |
                            std::uint32_t(std::uint8_t(bytes[i + 2]));
    out += alphabet[(v >> 18) & 63];
    out += alphabet[(v >> 12) & 63];
    out += alphabet[(v >> 6) & 63];
    out += alphabet[v & 63];
  }
  const std::size_t rest = bytes.size() - i;
  if (rest == 1) {
    const std::uint32_t v = std::uint32_t(std::uint8_t(bytes[i])) << 16;
    out += alphabet[(v >> 18) & 63];
    out += alphabet[(v >> 12) & 63];
    if (pad) out += "==";
  } else if (rest == 2) {
    const std::uint32_t v = (std::uint32_t(std::uint8_t(bytes[i])) << 16) |
                            (std::uint32_t(std::uint8_t(bytes[i + 1])) << 8);
    out += alphabet[(v >> 18) & 63];
    out += alphabet[(v >> 12) & 63];
    out += alphabet[(v >> 6) & 63];
    if (pad) out += '=';
  }
  return out;
}

std::optional<std::string> decode(std::string_view text, std::string_view alphabet) {
  // Padding, when present, must complete the last quantum.
  std::size_t padding = 0;
  while (!text.empty() && text.back() == '=' && padding < 2) {
    text.remove_suffix(1);
    ++padding;
  }
  if (padding > 0 && (text.size() + padding) % 4 != 0) return std::nullopt;
  if (text.size() % 4 == 1) return std::nullopt;

  std::string out;
  out.reserve(text.size() / 4 * 3 + 2);
  std::uint32_t acc = 0;
  int bits = 0;
  for (char c : text) {
    const std::size_t v = alphabet.find(c);
    if (v == std::string_view::npos) return std::nullopt;
    acc = (acc << 6) | static_cast<std::uint32_t>(v);
    bits += 6;
    if (bits >= 8) {
      bits -= 8;
      out += static_cast<char>((acc >> bits) & 0xFF);
    }
  }
  // Leftover bits must be zero, else two encodings would decode to the same bytes.
  if ((acc & ((1u << bits) - 1)) != 0) return std::nullopt;
  return out;
}

}  // namespace

std::string hmacSha1(std::string_view key, std::string_view data) {
  return hmac(EVP_sha1(), key, data);
}

bool hmacSha1(std::string_view key, std::string_view data, std::span<std::uint8_t, 20> out) {
  static const unsigned char kEmpty = 0;
  const unsigned char* keyPtr = key.empty() ? &kEmpty : bytesOf(key);
  unsigned int outLen = 0;
  return HMAC(EVP_sha1(), keyPtr, static_cast<int>(key.size()), bytesOf(data), data.size(),
              out.data(), &outLen) != nullptr &&
         outLen == out.size();
}

std::string hmacSha256(std::string_view key, std::string_view data) {
  return hmac(EVP_sha256(), key, data);
}

std::string sha1(std::string_view data) {
  std::array<unsigned char, SHA_DIGEST_LENGTH> out{};
  SHA1(bytesOf(data), data.size(), out.data());
  return std::string(reinterpret_cast<const char*>(out.data()), out.size());
}

std::string sha256(std::string_view data) {
  std::array<unsigned char, SHA256_DIGEST_LENGTH> out{};
  SHA256(bytesOf(data), data.size(), out.data());
  return std::string(reinterpret_cast<const char*>(out.data()), out.size());
}

std::string base64Encode(std::string_view bytes) {
  return encode(bytes, kStdAlphabet, true);
}

std::optional<std::string> base64Decode(std::string_view text) {
  return decode(text, kStdAlphabet);
}

std::string base64UrlEncode(std::string_view bytes) {
  return encode(bytes, kUrlAlphabet, false);
}

std::optional<std::string> base64UrlDecode(std::string_view text) {
  return decode(text, kUrlAlphabet);
}

bool constantTimeEqual(std::string_view a, std::string_view b) {
  if (a.size() != b.size()) return false;
  if (a.empty()) return true;
  return CRYPTO_memcmp(a.data(), b.data(), a.size()) == 0;
}

std::string randomBytes(std::size_t n) {
  std::string out(n, '\0');
  if (n > 0 && RAND_bytes(reinterpret_cast<unsigned char*>(out.data()), static_cast<int>(n)) != 1) {
    throw std::runtime_error("RAND_bytes failed: the system random source is unavailable");
  }
  return out;
}

std::string randomToken(std::size_t nbytes) {
  return base64UrlEncode(randomBytes(nbytes));
}

}  // namespace aerie::crypto
