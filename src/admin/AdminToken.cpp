#include "admin/AdminToken.hpp"

#include <cctype>

#include "core/Crypto.hpp"
#include "storage/AppStore.hpp"

namespace aerie {
namespace {

constexpr const char* kSetting = "admin_token";
// 256 bits: guessing is hopeless, so the API needs no attempt counter.
constexpr std::size_t kTokenBytes = 32;

}  // namespace

std::string AdminToken::ensure(AppStore& store, bool& created) {
  if (auto stored = store.setting(kSetting); stored && !stored->empty()) {
    created = false;
    return *stored;
  }
  // Nodes sharing a store that start at once agree on the token stored first.
  const std::string offered = crypto::randomToken(kTokenBytes);
  const std::string stored = store.settingOrInsert(kSetting, offered);
  if (!stored.empty()) {
    created = stored == offered;
    return stored;
  }
  created = true;
  return rotate(store);  // an empty token was stored: it allows nothing, so replace it
}

std::string AdminToken::rotate(AppStore& store) {
  std::string token = crypto::randomToken(kTokenBytes);
  store.setSetting(kSetting, token);
  return token;
}

bool AdminToken::accepts(AppStore& store, std::string_view authorization) {
  const auto given = bearer(authorization);
  if (!given) return false;
  const auto stored = store.setting(kSetting);
  if (!stored || stored->empty()) return false;
  return crypto::constantTimeEqual(*stored, *given);
}

// RFC 6750 section 2.1: `Bearer` (case-insensitive scheme), one or more spaces, the token.
std::optional<std::string_view> AdminToken::bearer(std::string_view authorization) {
  constexpr std::string_view kScheme = "bearer";
  if (authorization.size() <= kScheme.size()) return std::nullopt;
  for (std::size_t i = 0; i < kScheme.size(); ++i) {
    if (std::tolower(static_cast<unsigned char>(authorization[i])) != kScheme[i]) {
      return std::nullopt;
    }
  }
  std::string_view rest = authorization.substr(kScheme.size());
  if (rest.front() != ' ') return std::nullopt;
  rest.remove_prefix(rest.find_first_not_of(' ') == std::string_view::npos
                         ? rest.size()
                         : rest.find_first_not_of(' '));
  while (!rest.empty() && rest.back() == ' ') rest.remove_suffix(1);
  if (rest.empty()) return std::nullopt;
  return rest;
}

}  // namespace aerie
