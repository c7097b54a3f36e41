#include "tls/TlsRecordLayer.hpp"

#include <openssl/core_names.h>
#include <openssl/crypto.h>
#include <openssl/evp.h>
#include <openssl/kdf.h>
#include <openssl/ssl.h>

#include <algorithm>
#include <cstring>
#include <memory>

namespace aerie {
namespace {

constexpr std::uint8_t kAlert = 21;
constexpr std::uint8_t kHandshake = 22;
constexpr std::uint8_t kApplicationData = 23;
constexpr std::uint8_t kKeyUpdate = 24;  // TLS 1.3 handshake message type
constexpr std::size_t kHeader = 5;
constexpr std::size_t kTag = 16;
constexpr std::size_t kExplicitNonce = 8;  // TLS 1.2 AES-GCM
constexpr std::size_t kMaxPlain = 16384;
constexpr std::size_t kMaxBody13 = kMaxPlain + 256;   // RFC 8446 5.2
constexpr std::size_t kMaxBody12 = kMaxPlain + 2048;  // RFC 5246 6.2.3
constexpr std::uint64_t kRecordsPerKey = std::uint64_t{1} << 24;

const EVP_CIPHER* cipherFor(TlsRecordLayer::Aead aead) {
  static EVP_CIPHER* gcm128 = EVP_CIPHER_fetch(nullptr, "AES-128-GCM", nullptr);
  static EVP_CIPHER* gcm256 = EVP_CIPHER_fetch(nullptr, "AES-256-GCM", nullptr);
  static EVP_CIPHER* chacha = EVP_CIPHER_fetch(nullptr, "ChaCha20-Poly1305", nullptr);
  switch (aead) {
    case TlsRecordLayer::Aead::Aes128Gcm:
      return gcm128;
    case TlsRecordLayer::Aead::Aes256Gcm:
      return gcm256;
    case TlsRecordLayer::Aead::Chacha20Poly1305:
      return chacha;
  }
  return nullptr;
}

// One cipher context per thread, keyed anew for each record: a connection keeps only its keys.
EVP_CIPHER_CTX* threadCipher() {
  static thread_local std::unique_ptr<EVP_CIPHER_CTX, decltype(&EVP_CIPHER_CTX_free)> ctx(
      EVP_CIPHER_CTX_new(), &EVP_CIPHER_CTX_free);
  return ctx.get();
}

const char* digestName(std::size_t hashSize) { return hashSize == 48 ? "SHA384" : "SHA256"; }

void putU64(unsigned char* p, std::uint64_t v) {
  for (int i = 7; i >= 0; --i) {
    p[i] = static_cast<unsigned char>(v & 0xFF);
    v >>= 8;
  }
}

// HKDF-Expand-Label(secret, label, "", length) of RFC 8446 7.1; length <= the hash size, so
// HKDF-Expand is one HMAC block.
bool expandLabel(const unsigned char* secret, std::size_t hashSize, std::string_view label,
                 unsigned char* out, std::size_t length) {
  unsigned char info[2 + 1 + 255 + 1 + 1];
  std::size_t n = 0;
  info[n++] = static_cast<unsigned char>(length >> 8);
  info[n++] = static_cast<unsigned char>(length & 0xFF);
  info[n++] = static_cast<unsigned char>(6 + label.size());
  std::memcpy(info + n, "tls13 ", 6);
  n += 6;
  std::memcpy(info + n, label.data(), label.size());
  n += label.size();
  info[n++] = 0;  // empty context
  info[n++] = 1;  // HKDF-Expand's block counter
  unsigned char block[EVP_MAX_MD_SIZE];
  std::size_t blockSize = 0;
  if (EVP_Q_mac(nullptr, "HMAC", nullptr, digestName(hashSize), nullptr, secret, hashSize, info,
                n, block, sizeof block, &blockSize) == nullptr ||
      blockSize < length) {
    return false;
  }
  std::memcpy(out, block, length);
  OPENSSL_cleanse(block, sizeof block);
  return true;
}

// TLS 1.2's PRF (RFC 5246 5) through OpenSSL's TLS1-PRF.
bool prf12(const unsigned char* master, std::size_t masterSize, std::size_t hashSize,
           const std::string& seed, unsigned char* out, std::size_t length) {
  EVP_KDF* kdf = EVP_KDF_fetch(nullptr, "TLS1-PRF", nullptr);
  if (kdf == nullptr) return false;
  EVP_KDF_CTX* ctx = EVP_KDF_CTX_new(kdf);
  EVP_KDF_free(kdf);
  if (ctx == nullptr) return false;
  OSSL_PARAM params[] = {
      OSSL_PARAM_construct_utf8_string(OSSL_KDF_PARAM_DIGEST, const_cast<char*>(digestName(hashSize)), 0),
      OSSL_PARAM_construct_octet_string(OSSL_KDF_PARAM_SECRET, const_cast<unsigned char*>(master), masterSize),
      OSSL_PARAM_construct_octet_string(OSSL_KDF_PARAM_SEED, const_cast<char*>(seed.data()), seed.size()),
      OSSL_PARAM_construct_end()};
  const bool ok = EVP_KDF_derive(ctx, out, length, params) == 1;
  EVP_KDF_CTX_free(ctx);
  return ok;
}

}  // namespace

std::optional<TlsRecordLayer> TlsRecordLayer::takeOver(SSL* ssl, const TlsHandshakeSecrets& secrets) {
  const SSL_CIPHER* cipher = SSL_get_current_cipher(ssl);
  if (cipher == nullptr || SSL_has_pending(ssl) == 1) return std::nullopt;
  TlsRecordLayer layer;
  switch (SSL_CIPHER_get_cipher_nid(cipher)) {
    case NID_aes_128_gcm:
      layer.aead_ = Aead::Aes128Gcm;
      layer.keySize_ = 16;
      break;
    case NID_aes_256_gcm:
      layer.aead_ = Aead::Aes256Gcm;
      layer.keySize_ = 32;
      break;
    case NID_chacha20_poly1305:
      layer.aead_ = Aead::Chacha20Poly1305;
      layer.keySize_ = 32;
      break;
    default:
      return std::nullopt;
  }
  const EVP_MD* md = SSL_CIPHER_get_handshake_digest(cipher);
  if (md == nullptr || cipherFor(layer.aead_) == nullptr) return std::nullopt;
  layer.hashSize_ = static_cast<std::size_t>(EVP_MD_get_size(md));
  if (layer.hashSize_ != 32 && layer.hashSize_ != 48) return std::nullopt;

  if (SSL_version(ssl) == TLS1_3_VERSION) {
    if (secrets.clientTrafficSize != layer.hashSize_ || secrets.serverTrafficSize != layer.hashSize_) {
      return std::nullopt;
    }
    // Application records start at sequence 0 both ways (no tickets are sent).
    return fromTls13Secrets(layer.aead_, layer.hashSize_, secrets.clientTraffic.data(),
                            secrets.serverTraffic.data());
  }
  if (SSL_version(ssl) != TLS1_2_VERSION) return std::nullopt;
  layer.tls13_ = false;
  unsigned char master[48];
  const std::size_t masterSize = SSL_SESSION_get_master_key(SSL_get_session(ssl), master, sizeof master);
  unsigned char clientRandom[32];
  unsigned char serverRandom[32];
  if (masterSize != sizeof master ||
      SSL_get_client_random(ssl, clientRandom, sizeof clientRandom) != sizeof clientRandom ||
      SSL_get_server_random(ssl, serverRandom, sizeof serverRandom) != sizeof serverRandom) {
    return std::nullopt;
  }
  // key_block = client key, server key, client IV, server IV (no MAC keys for AEAD suites).
  const std::size_t ivSize = layer.aead_ == Aead::Chacha20Poly1305 ? 12 : 4;
  std::string seed = "key expansion";
  seed.append(reinterpret_cast<const char*>(serverRandom), sizeof serverRandom);
  seed.append(reinterpret_cast<const char*>(clientRandom), sizeof clientRandom);
  unsigned char block[2 * 32 + 2 * 12];
  const std::size_t blockSize = 2 * layer.keySize_ + 2 * ivSize;
  const bool ok = prf12(master, masterSize, layer.hashSize_, seed, block, blockSize);
  OPENSSL_cleanse(master, sizeof master);
  if (!ok) return std::nullopt;
  std::memcpy(layer.read_.key.data(), block, layer.keySize_);
  std::memcpy(layer.write_.key.data(), block + layer.keySize_, layer.keySize_);
  std::memcpy(layer.read_.iv.data(), block + 2 * layer.keySize_, ivSize);
  std::memcpy(layer.write_.iv.data(), block + 2 * layer.keySize_ + ivSize, ivSize);
  OPENSSL_cleanse(block, sizeof block);
  // The Finished messages were each side's record 0 under these keys.
  layer.read_.sequence = 1;
  layer.write_.sequence = 1;
  return layer;
}

std::optional<TlsRecordLayer> TlsRecordLayer::fromTls13Secrets(Aead aead, std::size_t hashSize,
                                                               const unsigned char* readSecret,
                                                               const unsigned char* writeSecret) {
  if ((hashSize != 32 && hashSize != 48) || cipherFor(aead) == nullptr) return std::nullopt;
  TlsRecordLayer layer;
  layer.tls13_ = true;
  layer.aead_ = aead;
  layer.keySize_ = aead == Aead::Aes128Gcm ? 16 : 32;
  layer.hashSize_ = hashSize;
  if (!layer.derive13(layer.read_, readSecret) || !layer.derive13(layer.write_, writeSecret)) {
    return std::nullopt;
  }
  return layer;
}

bool TlsRecordLayer::derive13(Direction& d, const unsigned char* secret) {
  std::memmove(d.secret.data(), secret, hashSize_);
  d.sequence = 0;
  return expandLabel(d.secret.data(), hashSize_, "key", d.key.data(), keySize_) &&
         expandLabel(d.secret.data(), hashSize_, "iv", d.iv.data(), d.iv.size());
}

bool TlsRecordLayer::updateTraffic13(Direction& d) {
  std::array<unsigned char, 48> next{};
  if (!expandLabel(d.secret.data(), hashSize_, "traffic upd", next.data(), hashSize_)) return false;
  const bool ok = derive13(d, next.data());
  OPENSSL_cleanse(next.data(), next.size());
  return ok;
}

std::array<unsigned char, 12> TlsRecordLayer::nonce(const Direction& d, std::uint64_t sequence) const {
  std::array<unsigned char, 12> n = d.iv;
  if (!tls13_ && aead_ != Aead::Chacha20Poly1305) {
    putU64(n.data() + 4, sequence);  // GCM: salt, then the explicit part (our sequence)
    return n;
  }
  for (int i = 0; i < 8; ++i) n[11 - i] ^= static_cast<unsigned char>((sequence >> (8 * i)) & 0xFF);
  return n;
}

TlsRecordLayer::Result TlsRecordLayer::open(std::string_view cipher, std::string& plain, std::string& out) {
  // Records are read straight from `cipher`; only a split record's bytes are copied.
  std::string_view in = cipher;
  if (!partial_.empty()) {
    partial_.append(cipher);
    in = partial_;
  }
  const std::size_t maxBody = tls13_ ? kMaxBody13 : kMaxBody12;
  std::size_t at = 0;
  Result result = Result::Ok;
  while (result == Result::Ok && in.size() - at >= kHeader) {
    const auto* header = reinterpret_cast<const unsigned char*>(in.data() + at);
    const std::size_t size = (static_cast<std::size_t>(header[3]) << 8) | header[4];
    if (header[1] != 0x03 || header[2] != 0x03 || size > maxBody) {
      result = Result::Failed;
      break;
    }
    if (in.size() - at < kHeader + size) break;  // the rest comes with the next read
    result = openRecord(header[0], header, header + kHeader, size, plain, out);
    at += kHeader + size;
  }
  if (result != Result::Ok) {
    partial_.clear();
    partial_.shrink_to_fit();
    return result;
  }
  std::string rest(in.substr(at));
  partial_.swap(rest);
  if (partial_.empty()) partial_.shrink_to_fit();
  return Result::Ok;
}

TlsRecordLayer::Result TlsRecordLayer::openRecord(std::uint8_t type, const unsigned char* header,
                                                  const unsigned char* body, std::size_t size,
                                                  std::string& plain, std::string& out) {
  const unsigned char* ciphertext = body;
  std::size_t length = 0;
  std::array<unsigned char, 12> iv{};
  unsigned char aad[13];
  std::size_t aadSize = 0;
  if (tls13_) {
    if (type != kApplicationData || size < kTag + 1) return Result::Failed;
    length = size - kTag;
    iv = nonce(read_, read_.sequence);
    std::memcpy(aad, header, kHeader);
    aadSize = kHeader;
  } else {
    if (type != kApplicationData && type != kAlert) return Result::Failed;  // no renegotiation
    const bool gcm = aead_ != Aead::Chacha20Poly1305;
    const std::size_t overhead = kTag + (gcm ? kExplicitNonce : 0);
    if (size < overhead) return Result::Failed;
    length = size - overhead;
    iv = nonce(read_, read_.sequence);
    if (gcm) {
      std::memcpy(iv.data() + 4, body, kExplicitNonce);
      ciphertext = body + kExplicitNonce;
    }
    putU64(aad, read_.sequence);
    aad[8] = type;
    aad[9] = 0x03;
    aad[10] = 0x03;
    aad[11] = static_cast<unsigned char>(length >> 8);
    aad[12] = static_cast<unsigned char>(length & 0xFF);
    aadSize = sizeof aad;
  }
  const std::size_t old = plain.size();
  plain.resize(old + length);
  auto* dst = reinterpret_cast<unsigned char*>(plain.data() + old);
  EVP_CIPHER_CTX* ctx = threadCipher();
  int n = 0;
  int last = 0;
  const bool ok =
      EVP_DecryptInit_ex2(ctx, cipherFor(aead_), read_.key.data(), iv.data(), nullptr) == 1 &&
      EVP_DecryptUpdate(ctx, nullptr, &n, aad, static_cast<int>(aadSize)) == 1 &&
      EVP_DecryptUpdate(ctx, dst, &n, ciphertext, static_cast<int>(length)) == 1 &&
      EVP_CIPHER_CTX_ctrl(ctx, EVP_CTRL_AEAD_SET_TAG, static_cast<int>(kTag),
                          const_cast<unsigned char*>(ciphertext + length)) == 1 &&
      EVP_DecryptFinal_ex(ctx, dst + n, &last) == 1;
  if (!ok) {
    plain.resize(old);  // nothing unauthenticated stays
    return Result::Failed;
  }
  ++read_.sequence;
  std::uint8_t inner = type;
  std::size_t content = length;
  if (tls13_) {
    // TLSInnerPlaintext: content, its real type, zero padding.
    while (content > 0 && plain[old + content - 1] == 0) --content;
    if (content == 0) {
      plain.resize(old);
      return Result::Failed;
    }
    inner = static_cast<std::uint8_t>(plain[old + content - 1]);
    --content;
  }
  if (inner == kApplicationData) {
    plain.resize(old + content);
    return Result::Ok;
  }
  unsigned char control[64];
  if (content > sizeof control) {
    plain.resize(old);
    return Result::Failed;
  }
  std::memcpy(control, plain.data() + old, content);
  plain.resize(old);
  return handleControl(inner, control, content, out);
}

TlsRecordLayer::Result TlsRecordLayer::handleControl(std::uint8_t type, const unsigned char* data,
                                                     std::size_t size, std::string& out) {
  if (type == kAlert) {
    if (size != 2) return Result::Failed;
    if (data[1] == 0) return Result::Closed;  // close_notify
    if (data[1] == 90) return Result::Ok;     // user_canceled: a close_notify follows
    return Result::Failed;
  }
  if (type != kHandshake || !tls13_) return Result::Failed;
  // Post-handshake messages: only KeyUpdate is for a server that sends no tickets and asks for
  // no client certificate.
  std::size_t at = 0;
  while (at < size) {
    if (size - at < 5 || data[at] != kKeyUpdate || data[at + 1] != 0 || data[at + 2] != 0 ||
        data[at + 3] != 1 || data[at + 4] > 1) {
      return Result::Failed;
    }
    const bool requested = data[at + 4] == 1;
    if (!updateTraffic13(read_)) return Result::Failed;
    if (requested) sealKeyUpdate(false, out);
    at += 5;
  }
  return Result::Ok;
}

void TlsRecordLayer::seal(std::string_view plain, std::string& out) {
  while (!plain.empty()) {
    // RFC 8446 5.5: well before AES-GCM's limit of about 2^24.5 records per key, move on to a
    // new key (the same KeyUpdate a peer's request gets; ChaCha20 takes it too).
    if (tls13_ && write_.sequence >= kRecordsPerKey) sealKeyUpdate(false, out);
    const std::size_t chunk = std::min(plain.size(), kMaxPlain);
    sealRecord(kApplicationData, plain.substr(0, chunk), out);
    plain.remove_prefix(chunk);
  }
}

void TlsRecordLayer::sealCloseNotify(std::string& out) {
  static constexpr char closeNotify[] = {1, 0};  // warning, close_notify
  sealRecord(kAlert, std::string_view(closeNotify, 2), out);
}

void TlsRecordLayer::sealKeyUpdate(bool requestUpdate, std::string& out) {
  if (!tls13_) return;
  const char message[] = {static_cast<char>(kKeyUpdate), 0, 0, 1, static_cast<char>(requestUpdate ? 1 : 0)};
  sealRecord(kHandshake, std::string_view(message, sizeof message), out);
  updateTraffic13(write_);
}

void TlsRecordLayer::sealRecord(std::uint8_t type, std::string_view plain, std::string& out) {
  const bool gcm12 = !tls13_ && aead_ != Aead::Chacha20Poly1305;
  const std::size_t innerSize = plain.size() + (tls13_ ? 1 : 0);
  const std::size_t bodySize = innerSize + kTag + (gcm12 ? kExplicitNonce : 0);
  const std::size_t start = out.size();
  out.resize(start + kHeader + bodySize);
  auto* record = reinterpret_cast<unsigned char*>(out.data() + start);
  record[0] = tls13_ ? kApplicationData : type;
  record[1] = 0x03;
  record[2] = 0x03;
  record[3] = static_cast<unsigned char>(bodySize >> 8);
  record[4] = static_cast<unsigned char>(bodySize & 0xFF);
  unsigned char* dst = record + kHeader;
  const std::array<unsigned char, 12> iv = nonce(write_, write_.sequence);
  unsigned char aad[13];
  std::size_t aadSize = kHeader;
  if (tls13_) {
    std::memcpy(aad, record, kHeader);
  } else {
    if (gcm12) {
      std::memcpy(dst, iv.data() + 4, kExplicitNonce);  // the explicit nonce: our sequence
      dst += kExplicitNonce;
    }
    putU64(aad, write_.sequence);
    aad[8] = type;
    aad[9] = 0x03;
    aad[10] = 0x03;
    aad[11] = static_cast<unsigned char>(plain.size() >> 8);
    aad[12] = static_cast<unsigned char>(plain.size() & 0xFF);
    aadSize = sizeof aad;
  }
  EVP_CIPHER_CTX* ctx = threadCipher();
  int n = 0;
  int m = 0;
  int last = 0;
  const unsigned char innerType = type;
  EVP_EncryptInit_ex2(ctx, cipherFor(aead_), write_.key.data(), iv.data(), nullptr);
  EVP_EncryptUpdate(ctx, nullptr, &n, aad, static_cast<int>(aadSize));
  EVP_EncryptUpdate(ctx, dst, &n, reinterpret_cast<const unsigned char*>(plain.data()),
                    static_cast<int>(plain.size()));
  if (tls13_) EVP_EncryptUpdate(ctx, dst + n, &m, &innerType, 1);
  EVP_EncryptFinal_ex(ctx, dst + n + m, &last);
  EVP_CIPHER_CTX_ctrl(ctx, EVP_CTRL_AEAD_GET_TAG, static_cast<int>(kTag), dst + innerSize);
  ++write_.sequence;
}

}  // namespace aerie
