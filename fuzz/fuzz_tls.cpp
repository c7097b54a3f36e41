// libFuzzer target: TLS records as they arrive after the handshake (TlsRecordLayer::open), both
// raw bytes and records the client side seals with any content type, split at any point.
// Invariant: application data the client sealed arrives whole and in order until the first
// record that fails or closes.
#include <cstddef>
#include <cstdint>
#include <string>

#include "tls/TlsRecordLayer.hpp"

using aerie::TlsRecordLayer;

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  if (size < 1) return 0;
  static const unsigned char clientSecret[48] = {1, 2, 3, 4, 5, 6, 7, 8, 9};
  static const unsigned char serverSecret[48] = {9, 8, 7, 6, 5, 4, 3, 2, 1};
  const auto aead = static_cast<TlsRecordLayer::Aead>(data[0] % 3);
  const std::size_t hash = (data[0] & 4) ? 48 : 32;
  auto server = TlsRecordLayer::fromTls13Secrets(aead, hash, clientSecret, serverSecret);
  auto client = TlsRecordLayer::fromTls13Secrets(aead, hash, serverSecret, clientSecret);
  if (!server || !client) __builtin_trap();
  std::string expected, plain, out, toClient;
  bool clean = true;  // only sealed application data so far: the plaintext must match
  std::size_t at = 1;
  while (at + 3 <= size) {
    const std::uint8_t op = data[at];
    const std::size_t length = (static_cast<std::size_t>(data[at + 1]) << 8 | data[at + 2]) % 4096;
    at += 3;
    const std::string chunk(reinterpret_cast<const char*>(data + at), std::min(length, size - at));
    at += chunk.size();
    std::string wire;
    if (op & 1) {
      wire = chunk;  // raw bytes: headers, lengths, tags as the fuzzer likes
      clean = false;
    } else {
      const std::uint8_t type = op >> 1;
      client->sealRecord(type, chunk, wire);
      if (type == 23) expected += chunk;
      else clean = false;
    }
    // Deliver in two pieces split where the input says.
    const std::size_t split = wire.empty() ? 0 : op % (wire.size() + 1);
    auto r = server->open(std::string_view(wire).substr(0, split), plain, out);
    if (r == TlsRecordLayer::Result::Ok) r = server->open(std::string_view(wire).substr(split), plain, out);
    if (r != TlsRecordLayer::Result::Ok) break;
  }
  if (clean && plain != expected) __builtin_trap();
  // Whatever the server wrote (key updates) must be records the client can open.
  std::string back;
  std::string ignored;
  server->seal("ok", out);
  if (clean && client->open(out, back, ignored) != TlsRecordLayer::Result::Ok) __builtin_trap();
  return 0;
}
