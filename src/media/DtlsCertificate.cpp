#include "media/DtlsCertificate.hpp"

#include <openssl/bn.h>
#include <openssl/evp.h>
#include <openssl/rand.h>
#include <openssl/x509.h>

#include <algorithm>
#include <cctype>
#include <stdexcept>

namespace aerie {
namespace {

const EVP_MD* digestFor(std::string_view hash) {
  std::string h(hash);
  std::transform(h.begin(), h.end(), h.begin(), [](unsigned char c) { return std::tolower(c); });
  if (h == "sha-1") return EVP_sha1();
  if (h == "sha-224") return EVP_sha224();
  if (h == "sha-256") return EVP_sha256();
  if (h == "sha-384") return EVP_sha384();
  if (h == "sha-512") return EVP_sha512();
  return nullptr;
}

bool equalsIgnoringCase(std::string_view a, std::string_view b) {
  return a.size() == b.size() && std::equal(a.begin(), a.end(), b.begin(), [](char x, char y) {
           return std::toupper(static_cast<unsigned char>(x)) ==
                  std::toupper(static_cast<unsigned char>(y));
         });
}

}  // namespace

std::shared_ptr<const DtlsCertificate> DtlsCertificate::generate() {
  EVP_PKEY* key = EVP_EC_gen("P-256");
  X509* cert = X509_new();
  if (!key || !cert) {
    EVP_PKEY_free(key);
    X509_free(cert);
    throw std::runtime_error("DTLS certificate: key generation failed");
  }
  // Owned from here on: the destructor frees both, whatever fails below.
  std::unique_ptr<DtlsCertificate> out(new DtlsCertificate(key, cert));
  unsigned char serial[16];
  RAND_bytes(serial, sizeof serial);
  serial[0] &= 0x7F;
  BIGNUM* bn = BN_bin2bn(serial, sizeof serial, nullptr);
  const bool serialSet = bn && BN_to_ASN1_INTEGER(bn, X509_get_serialNumber(cert));
  BN_free(bn);
  X509_set_version(cert, 2);
  // A day of slack for peers whose clocks are behind; a month, like browsers' own.
  X509_gmtime_adj(X509_getm_notBefore(cert), -24L * 3600);
  X509_gmtime_adj(X509_getm_notAfter(cert), 30L * 24 * 3600);
  X509_set_pubkey(cert, key);
  X509_NAME* name = X509_get_subject_name(cert);
  X509_NAME_add_entry_by_txt(name, "CN", MBSTRING_ASC,
                             reinterpret_cast<const unsigned char*>("aerie"), -1, -1, 0);
  X509_set_issuer_name(cert, name);
  if (!serialSet || X509_sign(cert, key, EVP_sha256()) == 0) {
    throw std::runtime_error("DTLS certificate: signing failed");
  }
  out->fingerprint_ = fingerprintOf(cert);
  return out;
}

const std::shared_ptr<const DtlsCertificate>& DtlsCertificate::processWide() {
  static const std::shared_ptr<const DtlsCertificate> cert = generate();
  return cert;
}

std::string DtlsCertificate::fingerprintOf(X509* cert, std::string_view hash) {
  const EVP_MD* md = digestFor(hash);
  unsigned char digest[EVP_MAX_MD_SIZE];
  unsigned int length = 0;
  if (!cert || !md || X509_digest(cert, md, digest, &length) != 1) return {};
  static const char kHex[] = "0123456789ABCDEF";
  std::string out(hash);
  std::transform(out.begin(), out.end(), out.begin(),
                 [](unsigned char c) { return std::tolower(c); });
  out += ' ';
  for (unsigned int i = 0; i < length; ++i) {
    if (i) out += ':';
    out += kHex[digest[i] >> 4];
    out += kHex[digest[i] & 15];
  }
  return out;
}

bool DtlsCertificate::matches(X509* cert, std::string_view sdp) {
  const std::size_t space = sdp.find(' ');
  if (space == std::string_view::npos) return false;
  const std::string actual = fingerprintOf(cert, sdp.substr(0, space));
  return !actual.empty() && equalsIgnoringCase(actual, sdp);
}

DtlsCertificate::DtlsCertificate(EVP_PKEY* key, X509* cert) : key_(key), cert_(cert) {}

DtlsCertificate::~DtlsCertificate() {
  X509_free(cert_);
  EVP_PKEY_free(key_);
}

}  // namespace aerie
