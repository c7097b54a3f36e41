#pragma once
// The server's TLS settings (OpenSSL's SSL_CTX): TLS 1.2+ with forward-secret AEAD suites, no
// session cache and no tickets, so a connection holds nothing beyond its own TlsEngine.
#include <string>

typedef struct ssl_ctx_st SSL_CTX;

namespace aerie {

class TlsContext {
 public:
  // Loads a PEM certificate chain and key; throws std::runtime_error with OpenSSL's reason.
  TlsContext(const std::string& certFile, const std::string& keyFile);
  TlsContext(const TlsContext&) = delete;
  TlsContext& operator=(const TlsContext&) = delete;
  ~TlsContext();

  SSL_CTX* native() const { return ctx_; }

 private:
  SSL_CTX* ctx_ = nullptr;
};

}  // namespace aerie
