#include "engineio/QueryString.hpp"

#include "signaling/ApiTarget.hpp"

namespace aerie {

std::string_view QueryString::path(std::string_view target) {
  return target.substr(0, target.find_first_of("?#"));
}

std::optional<std::string> QueryString::get(std::string_view target, std::string_view name) {
  auto q = target.find('?');
  if (q == std::string_view::npos) return std::nullopt;
  std::string_view query = target.substr(q + 1);
  query = query.substr(0, query.find('#'));
  auto raw = ApiTarget::queryParam(query, name);
  if (!raw) return std::nullopt;
  return ApiTarget::percentDecode(*raw).value_or(std::string(*raw));
}

}  // namespace aerie
