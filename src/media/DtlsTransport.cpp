#include "media/DtlsTransport.hpp"

#include <map>
#include <mutex>

#include <openssl/err.h>
#include <openssl/srtp.h>
#include <openssl/ssl.h>

#include <algorithm>
#include <array>
#include <stdexcept>
#include <utility>

namespace aerie {
namespace {

// RFC 5764 section 4.2.
constexpr char kExporterLabel[] = "EXTRACTOR-dtls_srtp";
// RFC 7714's GCM profile first: it is cheaper per packet and authenticates in the cipher.
constexpr char kSrtpProfiles[] = "SRTP_AEAD_AES_128_GCM:SRTP_AES128_CM_SHA1_80";
// ECDHE only; ECDSA for our certificate, RSA too when we are the client of a peer with one.
constexpr char kCiphers[] =
    "ECDHE-ECDSA-AES128-GCM-SHA256:ECDHE-ECDSA-AES256-GCM-SHA384:ECDHE-ECDSA-CHACHA20-POLY1305:"
    "ECDHE-RSA-AES128-GCM-SHA256:ECDHE-RSA-AES256-GCM-SHA384:ECDHE-RSA-CHACHA20-POLY1305:"
    "ECDHE-ECDSA-AES128-SHA:ECDHE-RSA-AES128-SHA";

// A datagram of whole DTLS records (RFC 6347 section 4.1): content type 20..23 (change cipher
// spec, alert, handshake, application data), version 254.x, and lengths that add up.
bool wellFramed(std::span<const std::uint8_t> d) {
  constexpr std::size_t kHeader = 13;
  std::size_t at = 0;
  if (d.empty()) return false;
  while (at < d.size()) {
    if (d.size() - at < kHeader) return false;
    if (d[at] < 20 || d[at] > 23 || d[at + 1] != 0xFE) return false;
    const std::size_t length = static_cast<std::size_t>(d[at + 11]) << 8 | d[at + 12];
    if (d.size() - at - kHeader < length) return false;
    at += kHeader + length;
  }
  return true;
}

// The write side: every BIO_write OpenSSL makes is one datagram, which a memory BIO would
// merge with the next.
BIO_METHOD* datagramWriter(int (*write)(BIO*, const char*, int)) {
  static BIO_METHOD* const method = [write] {
    BIO_METHOD* m = BIO_meth_new(BIO_get_new_index() | BIO_TYPE_SOURCE_SINK, "aerie dtls out");
    if (!m) return m;
    BIO_meth_set_write(m, write);
    BIO_meth_set_ctrl(m, [](BIO*, int cmd, long, void*) -> long {
      // FLUSH must succeed; everything else (MTU queries, peer addresses, pending bytes)
      // has no meaning here, and 0 is OpenSSL's "not supported".
      return cmd == BIO_CTRL_FLUSH ? 1 : 0;
    });
    BIO_meth_set_create(m, [](BIO* b) {
      BIO_set_init(b, 1);
      return 1;
    });
    return m;
  }();
  return method;
}

unsigned retransmitTimer(SSL*, unsigned previousUs) {
  const unsigned next =
      previousUs == 0 ? DtlsTransport::kInitialRetransmitMs * 1000 : 2 * previousUs;
  return std::min(next, DtlsTransport::kMaxRetransmitMs * 1000);
}

std::string lastError(const char* what) {
  std::string out(what);
  if (unsigned long e = ERR_peek_last_error()) {
    std::array<char, 256> text{};
    ERR_error_string_n(e, text.data(), text.size());
    out += ": ";
    out += text.data();
  }
  ERR_clear_error();
  return out;
}

}  // namespace

const char* DtlsTransport::toString(State state) {
  switch (state) {
    case State::New:
      return "new";
    case State::Connecting:
      return "connecting";
    case State::Connected:
      return "connected";
    case State::Failed:
      return "failed";
    case State::Closed:
      return "closed";
  }
  return "?";
}

// One SSL_CTX per certificate, made once and shared by every transport that presents it (a
// context is safe to share across threads once set up; building one per transport cost more
// than the rest of the set-up). Keyed by the certificate's fingerprint, which is unique to it.
// The cache keeps one reference (dropped at exit); each transport holds another.
SSL_CTX* DtlsTransport::sharedContext(const DtlsCertificate& certificate) {
  struct Cache {
    std::map<std::string, SSL_CTX*> contexts;
    ~Cache() {
      for (auto& [fingerprint, ctx] : contexts) SSL_CTX_free(ctx);
    }
  };
  static std::mutex mutex;
  static Cache cache;
  auto& contexts = cache.contexts;
  std::lock_guard lock(mutex);
  auto it = contexts.find(certificate.fingerprint());
  if (it == contexts.end()) {
    SSL_CTX* ctx = SSL_CTX_new(DTLS_method());
    if (!ctx) throw std::runtime_error(lastError("DTLS: SSL_CTX_new"));
    SSL_CTX_set_min_proto_version(ctx, DTLS1_2_VERSION);
    SSL_CTX_set_max_proto_version(ctx, DTLS1_2_VERSION);
    SSL_CTX_set_options(ctx, SSL_OP_NO_QUERY_MTU | SSL_OP_NO_TICKET | SSL_OP_NO_RENEGOTIATION);
    SSL_CTX_set_session_cache_mode(ctx, SSL_SESS_CACHE_OFF);
    // One datagram is handed in at a time and must be read whole.
    SSL_CTX_set_read_ahead(ctx, 1);
    // Both sides present a certificate; verifyPeer accepts it by fingerprint alone.
    SSL_CTX_set_verify(ctx, SSL_VERIFY_PEER | SSL_VERIFY_FAIL_IF_NO_PEER_CERT, verifyPeer);
    const bool configured = SSL_CTX_use_certificate(ctx, certificate.x509()) == 1 &&
                            SSL_CTX_use_PrivateKey(ctx, certificate.key()) == 1 &&
                            SSL_CTX_check_private_key(ctx) == 1 &&
                            SSL_CTX_set_cipher_list(ctx, kCiphers) == 1 &&
                            SSL_CTX_set_tlsext_use_srtp(ctx, kSrtpProfiles) == 0;  // 0 is success
    if (!configured) {
      SSL_CTX_free(ctx);
      throw std::runtime_error(lastError("DTLS: context"));
    }
    it = contexts.emplace(certificate.fingerprint(), ctx).first;
  }
  SSL_CTX_up_ref(it->second);
  return it->second;
}

DtlsTransport::DtlsTransport(Role role, std::shared_ptr<const DtlsCertificate> certificate,
                             std::string remoteFingerprint, const Limits& limits,
                             Listener& listener)
    : role_(role),
      certificate_(std::move(certificate)),
      remoteFingerprint_(std::move(remoteFingerprint)),
      handshakeTimeout_(std::chrono::milliseconds(limits.dtlsHandshakeTimeoutMs)),
      listener_(listener) {
  ERR_clear_error();
  if (!certificate_) throw std::runtime_error("DTLS: no certificate");
  ctx_ = sharedContext(*certificate_);
  ssl_ = SSL_new(ctx_);
  in_ = BIO_new(BIO_s_mem());
  BIO_METHOD* writer = datagramWriter(&DtlsTransport::bioWrite);
  BIO* out = writer ? BIO_new(writer) : nullptr;
  if (!ssl_ || !in_ || !out) {
    BIO_free(in_);
    BIO_free(out);
    SSL_free(ssl_);
    SSL_CTX_free(ctx_);
    throw std::runtime_error(lastError("DTLS: SSL_new"));
  }
  BIO_set_mem_eof_return(in_, -1);  // an empty input BIO means "wait", not end of stream
  BIO_set_data(out, this);
  SSL_set_bio(ssl_, in_, out);
  SSL_set_app_data(ssl_, this);
  DTLS_set_link_mtu(ssl_, kMtu);
  DTLS_set_timer_cb(ssl_, retransmitTimer);
  if (role_ == Role::Server)
    SSL_set_accept_state(ssl_);
  else
    SSL_set_connect_state(ssl_);
}

DtlsTransport::~DtlsTransport() {
  SSL_free(ssl_);  // and both BIOs
  SSL_CTX_free(ctx_);
}

int DtlsTransport::verifyPeer(int, X509_STORE_CTX* store) {
  // Only the leaf matters: RFC 8122 binds the certificate itself, self-signed or not.
  if (X509_STORE_CTX_get_error_depth(store) != 0) return 1;
  SSL* ssl =
      static_cast<SSL*>(X509_STORE_CTX_get_ex_data(store, SSL_get_ex_data_X509_STORE_CTX_idx()));
  auto* self = ssl ? static_cast<DtlsTransport*>(SSL_get_app_data(ssl)) : nullptr;
  X509* cert = X509_STORE_CTX_get_current_cert(store);
  return self && DtlsCertificate::matches(cert, self->remoteFingerprint_) ? 1 : 0;
}

int DtlsTransport::bioWrite(BIO* bio, const char* data, int length) {
  auto* self = static_cast<DtlsTransport*>(BIO_get_data(bio));
  if (length <= 0) return 0;
  ++self->counters_.datagramsOut;
  self->listener_.onDtlsSend(
      std::span(reinterpret_cast<const std::uint8_t*>(data), static_cast<std::size_t>(length)));
  return length;
}

void DtlsTransport::start(Clock::time_point now) {
  if (state_ != State::New) return;
  started_ = now;
  setState(State::Connecting);
  if (role_ == Role::Client) advanceHandshake();  // the ClientHello
}

void DtlsTransport::feed(std::span<const std::uint8_t> datagram) {
  ++counters_.datagramsIn;
  if ((state_ != State::Connecting && state_ != State::Connected) || !wellFramed(datagram)) {
    ++counters_.dropped;
    return;
  }
  BIO_write(in_, datagram.data(), static_cast<int>(datagram.size()));
  if (state_ == State::Connecting) advanceHandshake();
  if (state_ == State::Connected) readApplicationData();
  // Whatever OpenSSL left unread must not run into the next datagram, nor what it queued
  // about records it discarded into the next user of OpenSSL on this thread.
  if (BIO_ctrl_pending(in_) > 0) (void)BIO_reset(in_);
  ERR_clear_error();
}

void DtlsTransport::advanceHandshake() {
  ERR_clear_error();
  const int r = SSL_do_handshake(ssl_);
  if (r == 1) {
    if (completeHandshake()) setState(State::Connected);
    return;
  }
  const int error = SSL_get_error(ssl_, r);
  if (error == SSL_ERROR_WANT_READ || error == SSL_ERROR_WANT_WRITE) return;
  fail(lastError("DTLS handshake"));
}

bool DtlsTransport::completeHandshake() {
  // verifyPeer has seen the certificate already; this holds even if OpenSSL skipped it.
  if (!DtlsCertificate::matches(SSL_get0_peer_certificate(ssl_), remoteFingerprint_)) {
    fail("DTLS: the peer's certificate does not match its fingerprint");
    return false;
  }
  const SRTP_PROTECTION_PROFILE* p = SSL_get_selected_srtp_profile(ssl_);
  keys_.profile = !p                                ? SrtpProfile::None
                  : p->id == SRTP_AEAD_AES_128_GCM  ? SrtpProfile::AeadAes128Gcm
                  : p->id == SRTP_AES128_CM_SHA1_80 ? SrtpProfile::Aes128CmSha1_80
                                                    : SrtpProfile::None;
  if (keys_.profile == SrtpProfile::None) return true;
  // RFC 5764 section 4.2: client key, server key, client salt, server salt.
  const std::size_t k = srtpKeyLength(keys_.profile);
  const std::size_t s = srtpSaltLength(keys_.profile);
  std::array<std::uint8_t, 2 * SrtpKeys::kMaxKeySalt> material{};
  if (SSL_export_keying_material(ssl_, material.data(), 2 * (k + s), kExporterLabel,
                                 sizeof kExporterLabel - 1, nullptr, 0, 0) != 1) {
    fail(lastError("DTLS: keying material export"));
    return false;
  }
  std::copy_n(material.begin(), k, keys_.client.begin());
  std::copy_n(material.begin() + k, k, keys_.server.begin());
  std::copy_n(material.begin() + 2 * k, s, keys_.client.begin() + k);
  std::copy_n(material.begin() + 2 * k + s, s, keys_.server.begin() + k);
  OPENSSL_cleanse(material.data(), material.size());
  return true;
}

void DtlsTransport::readApplicationData() {
  // A DTLS record carries up to 2^14 bytes; one buffer per thread serves every transport.
  thread_local std::array<std::uint8_t, 16384> buffer;
  for (;;) {
    ERR_clear_error();
    const int n = SSL_read(ssl_, buffer.data(), static_cast<int>(buffer.size()));
    if (n > 0) {
      listener_.onDtlsData(std::span(buffer).first(static_cast<std::size_t>(n)));
      if (state_ != State::Connected) return;
      continue;
    }
    const int error = SSL_get_error(ssl_, n);
    if (error == SSL_ERROR_WANT_READ || error == SSL_ERROR_WANT_WRITE) return;
    if (error == SSL_ERROR_ZERO_RETURN) {  // close_notify
      ERR_clear_error();
      setState(State::Closed);
    } else {
      fail(lastError("DTLS read"));
    }
    return;
  }
}

void DtlsTransport::tick(Clock::time_point now) {
  if (state_ != State::Connecting && state_ != State::Connected) return;
  if (state_ == State::Connecting && now - started_ >= handshakeTimeout_) {
    fail("DTLS: handshake timed out");
    return;
  }
  ERR_clear_error();
  const int r = DTLSv1_handle_timeout(ssl_);
  if (r > 0) ++counters_.retransmitTimeouts;
  if (r < 0) fail(lastError("DTLS: retransmission"));
  ERR_clear_error();
}

std::optional<std::chrono::milliseconds> DtlsTransport::nextTimeout() const {
  timeval tv{};
  if (DTLSv1_get_timeout(ssl_, &tv) != 1) return std::nullopt;
  return std::chrono::milliseconds(tv.tv_sec * 1000 + (tv.tv_usec + 999) / 1000);
}

bool DtlsTransport::send(std::span<const std::uint8_t> data) {
  if (state_ != State::Connected || data.empty()) return false;
  ERR_clear_error();
  const int n = SSL_write(ssl_, data.data(), static_cast<int>(data.size()));
  if (n == static_cast<int>(data.size())) return true;
  ERR_clear_error();
  return false;
}

void DtlsTransport::close() {
  if (state_ == State::Failed || state_ == State::Closed) return;
  if (state_ == State::Connected) {
    ERR_clear_error();
    SSL_shutdown(ssl_);
    ERR_clear_error();
  }
  setState(State::Closed);
}

void DtlsTransport::fail(std::string why) {
  failure_ = std::move(why);
  setState(State::Failed);
}

void DtlsTransport::setState(State state) {
  state_ = state;
  listener_.onDtlsStateChanged(state);
}

}  // namespace aerie
