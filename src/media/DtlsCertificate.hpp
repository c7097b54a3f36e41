#pragma once
// The self-signed certificate DTLS presents (RFC 8827 section 6.5: WebRTC endpoints authenticate
// by the certificate fingerprint carried in SDP, RFC 8122, not by a CA). ECDSA P-256, as
// browsers make theirs: small, and fast to sign with. One per process is enough.
#include <openssl/types.h>

#include <memory>
#include <string>
#include <string_view>

namespace aerie {

class DtlsCertificate {
 public:
  // A fresh certificate. Throws std::runtime_error if OpenSSL fails (start-up, not wire data).
  static std::shared_ptr<const DtlsCertificate> generate();
  // The process's certificate, generated on first use (thread-safe).
  static const std::shared_ptr<const DtlsCertificate>& processWide();

  // "<hash> AB:CD:..." as SDP's a=fingerprint carries it (RFC 8122 section 5), of any
  // certificate; empty if the hash is not one of sha-1, sha-224, sha-256, sha-384, sha-512.
  static std::string fingerprintOf(X509* cert, std::string_view hash = "sha-256");
  // Whether `cert` has the fingerprint `sdp` ("sha-256 ab:cd:...", hash and hex in any case).
  static bool matches(X509* cert, std::string_view sdp);

  ~DtlsCertificate();
  DtlsCertificate(const DtlsCertificate&) = delete;
  DtlsCertificate& operator=(const DtlsCertificate&) = delete;

  X509* x509() const { return cert_; }
  EVP_PKEY* key() const { return key_; }
  const std::string& fingerprint() const { return fingerprint_; }  // sha-256

 private:
  DtlsCertificate(EVP_PKEY* key, X509* cert);

  EVP_PKEY* key_;
  X509* cert_;
  std::string fingerprint_;
};

}  // namespace aerie
