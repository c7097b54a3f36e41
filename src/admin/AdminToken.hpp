#pragma once
// The bearer token of the admin API (/admin/v1/) and the console, kept in the store's
// settings as `admin_token`. Read from the store on every check, so `aerie token --rotate`
// takes effect in a running server at once.
#include <optional>
#include <string>
#include <string_view>

namespace aerie {

class AppStore;

class AdminToken {
 public:
  // The stored token, or a new one if there is none yet; `created` says which.
  static std::string ensure(AppStore& store, bool& created);
  // Replaces the token: whoever holds the old one is signed out.
  static std::string rotate(AppStore& store);
  // True if `authorization` is `Bearer <the stored token>`. Constant time in the token; false
  // when no token is stored, so a store without one admits nobody.
  static bool accepts(AppStore& store, std::string_view authorization);

 private:
  static std::optional<std::string_view> bearer(std::string_view authorization);
};

}  // namespace aerie
