#pragma once
// Aerie's own tokens (userCred, roomCred; protocol spec section 7): HMAC-SHA256 with a
// server secret over the bound fields joined by '\n', base64url without padding.
#include <initializer_list>
#include <string>
#include <string_view>

namespace aerie {

class AppStore;

class TokenSigner {
 public:
  // `secret` is raw key material; throws std::invalid_argument if empty.
  explicit TokenSigner(std::string secret);

  // The signer whose secret is kept in the store's settings (created on first use), so
  // tokens issued before a restart stay valid until they expire (spec section 2).
  static TokenSigner fromStore(AppStore& store);

  // Fields must not contain '\n' (throws std::invalid_argument): the separator would make
  // two different field lists sign alike. Callers pass validated values only.
  std::string sign(std::initializer_list<std::string_view> fields) const;
  // Constant-time comparison. A field containing '\n' never verifies, so a forged split
  // cannot reuse a signature.
  bool verify(std::initializer_list<std::string_view> fields, std::string_view token) const;

 private:
  std::string mac(std::initializer_list<std::string_view> fields) const;

  std::string secret_;
};

}  // namespace aerie
