#include "tls/TlsEngine.hpp"

#include <openssl/bio.h>
#include <openssl/err.h>
#include <openssl/ssl.h>

#include <openssl/crypto.h>

#include <algorithm>
#include <climits>
#include <cstring>

#include "tls/TlsContext.hpp"

namespace aerie {
namespace {

// SSL_read's destination before the plaintext is appended: at most one record.
constexpr int kReadChunk = 16 * 1024;

char* readChunk() {
  static thread_local char chunk[kReadChunk];
  return chunk;
}

}  // namespace

BIO_METHOD* TlsEngine::method() {
  static BIO_METHOD* m = [] {
    BIO_METHOD* bm = BIO_meth_new(BIO_get_new_index() | BIO_TYPE_SOURCE_SINK, "aerie-tls");
    BIO_meth_set_write(bm, &TlsEngine::bioWrite);
    BIO_meth_set_read(bm, &TlsEngine::bioRead);
    BIO_meth_set_ctrl(bm, &TlsEngine::bioCtrl);
    BIO_meth_set_create(bm, [](BIO* b) {
      BIO_set_init(b, 1);
      return 1;
    });
    return bm;
  }();
  return m;
}

int TlsEngine::bioWrite(BIO* bio, const char* data, int size) {
  auto* self = static_cast<TlsEngine*>(BIO_get_data(bio));
  BIO_clear_retry_flags(bio);
  if (self == nullptr || size < 0) return -1;
  self->output_.append(data, static_cast<std::size_t>(size));
  return size;
}

int TlsEngine::bioRead(BIO* bio, char* data, int size) {
  auto* self = static_cast<TlsEngine*>(BIO_get_data(bio));
  BIO_clear_retry_flags(bio);
  if (self == nullptr || size < 0) return -1;
  if (self->inSize_ == 0) {
    BIO_set_retry_read(bio);  // SSL_ERROR_WANT_READ: wait for the next feed()
    return -1;
  }
  const std::size_t n = std::min(self->inSize_, static_cast<std::size_t>(size));
  std::copy_n(self->in_, n, data);
  self->in_ += n;
  self->inSize_ -= n;
  return static_cast<int>(n);
}

long TlsEngine::bioCtrl(BIO*, int cmd, long, void*) {
  // OpenSSL asks to flush after each flight; everything is in output_ already.
  return cmd == BIO_CTRL_FLUSH ? 1 : 0;
}

TlsEngine::TlsEngine(const TlsContext& context) : ssl_(SSL_new(context.native())) {
  BIO* bio = ssl_ != nullptr ? BIO_new(method()) : nullptr;
  if (bio == nullptr) {
    fail();
    return;
  }
  BIO_set_data(bio, this);
  SSL_set_bio(ssl_, bio, bio);  // one BIO both ways: the SSL owns its one reference
  SSL_set_app_data(ssl_, this);
  SSL_set_accept_state(ssl_);
  secrets_.emplace();
}

TlsEngine::~TlsEngine() {
  if (ssl_ != nullptr) SSL_free(ssl_);
  if (secrets_) OPENSSL_cleanse(&*secrets_, sizeof *secrets_);
}

namespace {

// Hex to bytes; false on anything else or too long for `out`.
bool unhex(std::string_view hex, unsigned char* out, std::size_t capacity, std::size_t& size) {
  if (hex.size() % 2 != 0 || hex.size() / 2 > capacity) return false;
  auto nibble = [](char c) -> int {
    if (c >= '0' && c <= '9') return c - '0';
    if (c >= 'a' && c <= 'f') return c - 'a' + 10;
    if (c >= 'A' && c <= 'F') return c - 'A' + 10;
    return -1;
  };
  for (std::size_t i = 0; i < hex.size(); i += 2) {
    const int hi = nibble(hex[i]);
    const int lo = nibble(hex[i + 1]);
    if (hi < 0 || lo < 0) return false;
    out[i / 2] = static_cast<unsigned char>(hi * 16 + lo);
  }
  size = hex.size() / 2;
  return true;
}

}  // namespace

void TlsEngine::onKeyLog(const SSL* ssl, const char* line) {
  auto* self = static_cast<TlsEngine*>(SSL_get_app_data(ssl));
  if (self == nullptr || !self->secrets_) return;
  // "LABEL <client random hex> <secret hex>" (NSS key log format).
  std::string_view text(line);
  const auto first = text.find(' ');
  const auto second = first == std::string_view::npos ? first : text.find(' ', first + 1);
  if (second == std::string_view::npos) return;
  const std::string_view label = text.substr(0, first);
  const std::string_view secret = text.substr(second + 1);
  auto& s = *self->secrets_;
  if (label == "CLIENT_TRAFFIC_SECRET_0") {
    if (!unhex(secret, s.clientTraffic.data(), s.clientTraffic.size(), s.clientTrafficSize)) s.clientTrafficSize = 0;
  } else if (label == "SERVER_TRAFFIC_SECRET_0") {
    if (!unhex(secret, s.serverTraffic.data(), s.serverTraffic.size(), s.serverTrafficSize)) s.serverTrafficSize = 0;
  }
}

void TlsEngine::takeOver() {
  records_ = TlsRecordLayer::takeOver(ssl_, *secrets_);
  OPENSSL_cleanse(&*secrets_, sizeof *secrets_);
  secrets_.reset();
  if (!records_) return;  // stays on OpenSSL
  SSL_free(ssl_);
  ssl_ = nullptr;
  ERR_clear_error();
}

void TlsEngine::fail() {
  state_ = State::Failed;
  char reason[256] = "TLS failure";
  if (unsigned long e = ERR_get_error(); e != 0) ERR_error_string_n(e, reason, sizeof reason);
  error_ = reason;
  ERR_clear_error();  // the queue is per thread: leave nothing for the next connection
}

TlsEngine::State TlsEngine::feed(std::string_view cipher, std::string& plain) {
  if (state_ == State::Failed || state_ == State::Closed) return state_;
  in_ = cipher.data();
  inSize_ = cipher.size();
  if (state_ == State::Handshaking) {
    const int r = SSL_do_handshake(ssl_);
    if (r == 1) {
      state_ = State::Open;
      takeOver();
    } else if (SSL_get_error(ssl_, r) != SSL_ERROR_WANT_READ) {
      fail();  // OpenSSL has queued its alert in output_
    }
  }
  if (records_ && state_ == State::Open) {
    // What came after the client's Finished, and everything later.
    const std::string_view rest(in_, inSize_);
    in_ = nullptr;
    inSize_ = 0;
    switch (records_->open(rest, plain, output_)) {
      case TlsRecordLayer::Result::Ok:
        break;
      case TlsRecordLayer::Result::Closed:
        state_ = State::Closed;
        break;
      case TlsRecordLayer::Result::Failed:
        state_ = State::Failed;
        error_ = "bad TLS record";
        break;
    }
    return state_;
  }
  while (state_ == State::Open) {
    const int r = SSL_read(ssl_, readChunk(), kReadChunk);
    if (r > 0) {
      plain.append(readChunk(), static_cast<std::size_t>(r));
      continue;
    }
    const int e = SSL_get_error(ssl_, r);
    if (e == SSL_ERROR_WANT_READ) break;
    if (e == SSL_ERROR_ZERO_RETURN) {
      state_ = State::Closed;
    } else {
      fail();
    }
  }
  in_ = nullptr;
  inSize_ = 0;
  return state_;
}

bool TlsEngine::write(std::string_view plain) {
  if (state_ != State::Open) return false;
  if (records_) {
    records_->seal(plain, output_);
    return true;
  }
  while (!plain.empty()) {
    const int chunk = static_cast<int>(std::min<std::size_t>(plain.size(), INT_MAX));
    const int r = SSL_write(ssl_, plain.data(), chunk);
    if (r <= 0) {
      fail();
      return false;
    }
    plain.remove_prefix(static_cast<std::size_t>(r));
  }
  return true;
}

void TlsEngine::close() {
  if (records_) {
    if (state_ == State::Open || state_ == State::Closed) records_->sealCloseNotify(output_);
    return;
  }
  if (state_ == State::Open || state_ == State::Closed) SSL_shutdown(ssl_);
  ERR_clear_error();
}

}  // namespace aerie
