#include "api/TokenSigner.hpp"

#include <stdexcept>

#include "core/Crypto.hpp"
#include "storage/AppStore.hpp"

namespace aerie {
namespace {

constexpr const char* kSecretSetting = "token_signing_secret";

bool hasSeparator(std::initializer_list<std::string_view> fields) {
  for (auto f : fields) {
    if (f.find('\n') != std::string_view::npos) return true;
  }
  return false;
}

}  // namespace

TokenSigner::TokenSigner(std::string secret) : secret_(std::move(secret)) {
  if (secret_.empty()) throw std::invalid_argument("TokenSigner needs a non-empty secret");
}

TokenSigner TokenSigner::fromStore(AppStore& store) {
  // 256 bits, the HMAC-SHA256 block's worth of strength.
  const std::string raw = crypto::randomBytes(32);
  const std::string offered = crypto::base64UrlEncode(raw);
  if (auto stored = store.setting(kSecretSetting)) {
    if (auto decoded = crypto::base64UrlDecode(*stored); decoded && !decoded->empty()) {
      return TokenSigner(std::move(*decoded));
    }
    store.setSetting(kSecretSetting, offered);  // damaged: replaced
    return TokenSigner(raw);
  }
  // Nodes sharing a store that start at once each offer a secret; all of them sign with the
  // one stored first.
  const std::string stored = store.settingOrInsert(kSecretSetting, offered);
  if (stored == offered) return TokenSigner(raw);
  auto decoded = crypto::base64UrlDecode(stored);
  if (!decoded || decoded->empty()) throw std::runtime_error("the stored signing secret is damaged");
  return TokenSigner(std::move(*decoded));
}

std::string TokenSigner::mac(std::initializer_list<std::string_view> fields) const {
  std::string data;
  bool first = true;
  for (auto f : fields) {
    if (!first) data += '\n';
    data += f;
    first = false;
  }
  return crypto::base64UrlEncode(crypto::hmacSha256(secret_, data));
}

std::string TokenSigner::sign(std::initializer_list<std::string_view> fields) const {
  if (hasSeparator(fields)) throw std::invalid_argument("token field contains a newline");
  return mac(fields);
}

bool TokenSigner::verify(std::initializer_list<std::string_view> fields,
                         std::string_view token) const {
  if (hasSeparator(fields)) return false;
  return crypto::constantTimeEqual(mac(fields), token);
}

}  // namespace aerie
