#pragma once
// The TLS record layer of an established connection, without OpenSSL's SSL object: AEAD records
// of TLS 1.3 (RFC 8446 section 5) and TLS 1.2 (RFC 5288 AES-GCM, RFC 7905 ChaCha20-Poly1305),
// keys derived from the handshake's secrets, sequence numbers, TLS 1.3 KeyUpdate, alerts.
// TlsEngine hands a connection over to it once the handshake is done, so an idle TLS peer keeps
// its keys (about 200 bytes) instead of an SSL object (about 13 KiB in OpenSSL 3.0). The cipher
// contexts are per thread and keyed per record. Parsers are views over the input; never throws.
#include <array>
#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

typedef struct ssl_st SSL;

namespace aerie {

// What the handshake leaves for the record layer to take over. TLS 1.3 traffic secrets come
// from OpenSSL's key log callback (the only place it gives them out); TLS 1.2's key block is
// derived from the session's master secret and the two randoms.
struct TlsHandshakeSecrets {
  std::array<unsigned char, 48> clientTraffic{};  // TLS 1.3 CLIENT_TRAFFIC_SECRET_0
  std::array<unsigned char, 48> serverTraffic{};  // TLS 1.3 SERVER_TRAFFIC_SECRET_0
  std::size_t clientTrafficSize = 0;
  std::size_t serverTrafficSize = 0;
};

class TlsRecordLayer {
 public:
  enum class Result { Ok, Closed, Failed };
  enum class Aead : std::uint8_t { Aes128Gcm, Aes256Gcm, Chacha20Poly1305 };

  // The record layer of `ssl`'s finished server-side handshake, with the sequence numbers it
  // has right after its last handshake record (no application record read or written yet).
  // nullopt for a version or suite it does not carry (the caller then keeps OpenSSL).
  static std::optional<TlsRecordLayer> takeOver(SSL* ssl, const TlsHandshakeSecrets& secrets);
  // A TLS 1.3 record layer from its two traffic secrets (hashSize bytes each): what takeOver
  // does for 1.3; with the secrets swapped it is the client's side (tests, fuzzing).
  static std::optional<TlsRecordLayer> fromTls13Secrets(Aead aead, std::size_t hashSize,
                                                        const unsigned char* readSecret,
                                                        const unsigned char* writeSecret);

  // Decrypts every complete record of `cipher` (and of what an earlier call left over) into
  // `plain`. Alerts and TLS 1.3 KeyUpdates are handled here; a KeyUpdate that asks for ours
  // appends it to `out`. Closed on close_notify, Failed on anything else wrong.
  Result open(std::string_view cipher, std::string& plain, std::string& out);
  // Encrypts `plain` as application data records appended to `out`.
  void seal(std::string_view plain, std::string& out);
  // Appends a close_notify alert to `out`.
  void sealCloseNotify(std::string& out);
  // One record of any content type (TLS 1.3: the inner type). The connection itself uses
  // seal() and sealCloseNotify(); tests and the fuzzer forge other records with it.
  void sealRecord(std::uint8_t type, std::string_view plain, std::string& out);

 private:
  struct Direction {
    std::array<unsigned char, 48> secret{};  // TLS 1.3 traffic secret (for KeyUpdate)
    std::array<unsigned char, 32> key{};
    std::array<unsigned char, 12> iv{};  // TLS 1.2 GCM: the 4-byte salt, then zeros
    std::uint64_t sequence = 0;
  };

  TlsRecordLayer() = default;
  bool derive13(Direction& d, const unsigned char* secret);
  bool updateTraffic13(Direction& d);
  Result openRecord(std::uint8_t type, const unsigned char* header, const unsigned char* body,
                    std::size_t size, std::string& plain, std::string& out);
  // An alert or a TLS 1.3 post-handshake message (not application data).
  Result handleControl(std::uint8_t type, const unsigned char* data, std::size_t size,
                       std::string& out);
  // A TLS 1.3 KeyUpdate of ours, then our write keys move on.
  void sealKeyUpdate(bool requestUpdate, std::string& out);
  std::array<unsigned char, 12> nonce(const Direction& d, std::uint64_t sequence) const;

  bool tls13_ = true;
  Aead aead_ = Aead::Aes128Gcm;
  std::size_t keySize_ = 16;
  std::size_t hashSize_ = 32;  // SHA-256 or SHA-384 (TLS 1.3 key schedule)
  Direction read_;             // the client's keys
  Direction write_;            // ours
  std::string partial_;        // a record split across reads; empty when idle
};

}  // namespace aerie
