#include "tls/TlsContext.hpp"

#include "tls/TlsEngine.hpp"

#include <openssl/err.h>
#include <openssl/ssl.h>

#include <stdexcept>

namespace aerie {
namespace {

std::string opensslError(const std::string& what) {
  char reason[256] = "unknown error";
  if (unsigned long e = ERR_get_error(); e != 0) ERR_error_string_n(e, reason, sizeof reason);
  ERR_clear_error();
  return what + ": " + reason;
}

}  // namespace

TlsContext::TlsContext(const std::string& certFile, const std::string& keyFile)
    : ctx_(SSL_CTX_new(TLS_server_method())) {
  if (ctx_ == nullptr) throw std::runtime_error(opensslError("TLS context"));
  SSL_CTX_set_min_proto_version(ctx_, TLS1_2_VERSION);
  // TLS 1.2: forward-secret AEAD suites only (TLS 1.3's suites are OpenSSL's defaults).
  SSL_CTX_set_cipher_list(ctx_,
                          "ECDHE-ECDSA-AES128-GCM-SHA256:ECDHE-RSA-AES128-GCM-SHA256:"
                          "ECDHE-ECDSA-AES256-GCM-SHA384:ECDHE-RSA-AES256-GCM-SHA384:"
                          "ECDHE-ECDSA-CHACHA20-POLY1305:ECDHE-RSA-CHACHA20-POLY1305");
  SSL_CTX_set_options(ctx_, SSL_OP_NO_COMPRESSION | SSL_OP_NO_RENEGOTIATION | SSL_OP_NO_TICKET |
                                SSL_OP_CIPHER_SERVER_PREFERENCE);
  // Browsers reconnect rarely enough that resumption is not worth a cache entry per peer.
  SSL_CTX_set_session_cache_mode(ctx_, SSL_SESS_CACHE_OFF);
  SSL_CTX_set_num_tickets(ctx_, 0);
  // Record buffers only while a record is in flight: an idle connection holds none.
  SSL_CTX_set_mode(ctx_, SSL_MODE_RELEASE_BUFFERS);
  // TLS 1.3 traffic secrets for TlsRecordLayer, which takes each connection over after its
  // handshake. The callback keeps them in the connection's engine; it writes nothing.
  SSL_CTX_set_keylog_callback(ctx_, &TlsEngine::onKeyLog);
  if (SSL_CTX_use_certificate_chain_file(ctx_, certFile.c_str()) != 1) {
    SSL_CTX_free(ctx_);
    throw std::runtime_error(opensslError("TLS certificate " + certFile));
  }
  if (SSL_CTX_use_PrivateKey_file(ctx_, keyFile.c_str(), SSL_FILETYPE_PEM) != 1 ||
      SSL_CTX_check_private_key(ctx_) != 1) {
    SSL_CTX_free(ctx_);
    throw std::runtime_error(opensslError("TLS key " + keyFile));
  }
}

TlsContext::~TlsContext() { SSL_CTX_free(ctx_); }

}  // namespace aerie
