#pragma once
// Thin wrappers over OpenSSL for the few primitives Aerie needs. Byte strings are
// std::string so they travel through JSON and SQLite without conversions.
#include <cstddef>
#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <string_view>

namespace aerie::crypto {

// Raw (binary) MACs and digests.
std::string hmacSha1(std::string_view key, std::string_view data);
// The same HMAC-SHA1 into the caller's 20 bytes, for packet paths that must not allocate
// (STUN MESSAGE-INTEGRITY). False if OpenSSL fails.
bool hmacSha1(std::string_view key, std::string_view data, std::span<std::uint8_t, 20> out);
std::string hmacSha256(std::string_view key, std::string_view data);
std::string sha1(std::string_view data);  // RFC 6455's handshake only: never for security
std::string sha256(std::string_view data);

// RFC 4648 section 4, with `=` padding.
std::string base64Encode(std::string_view bytes);
// Strict: rejects characters outside the alphabet, whitespace, bad padding and non-zero
// trailing bits, so one byte string has exactly one accepted encoding. Padding is optional.
std::optional<std::string> base64Decode(std::string_view text);
// RFC 4648 section 5 without padding: safe in URLs, paths and JSON without escaping.
std::string base64UrlEncode(std::string_view bytes);
std::optional<std::string> base64UrlDecode(std::string_view text);

// Compares in time independent of where the strings differ. Different lengths compare
// unequal at once: the length of a MAC is public.
bool constantTimeEqual(std::string_view a, std::string_view b);

// From the OpenSSL CSPRNG. Throws std::runtime_error if it fails: without randomness
// no key or token may be issued.
std::string randomBytes(std::size_t n);
// base64url of `nbytes` random bytes.
std::string randomToken(std::size_t nbytes);

}  // namespace aerie::crypto
