#include "app/AppRouter.hpp"

#include "signaling/ApiService.hpp"

namespace aerie {

AppRouter::AppRouter(ApiService& api, StaticFiles files, StaticFiles vendor)
    : api_(api), files_(std::move(files)), vendor_(std::move(vendor)) {}

HttpReply AppRouter::handle(const HttpRequestView& request, std::int64_t nowMs) {
  std::string_view target = request.target;
  std::string_view path = target.substr(0, target.find('?'));
  if (path.rfind("/api/", 0) == 0 || path.rfind("/rest/", 0) == 0) return api_.handle(request, nowMs);
  if (path == "/health") return HttpReply{200, "application/json", {}, "{\"ok\":true}"};
  if (request.method == "GET" || request.method == "HEAD") {
    constexpr std::string_view vendorPrefix = "/vendor/skylinkjs";
    if (path.rfind(vendorPrefix, 0) == 0) {
      if (auto file = vendor_.get(path.substr(vendorPrefix.size()))) return *file;
    } else if (auto file = files_.get(path)) {
      return *file;
    }
  }
  return HttpReply{404, "application/json", {}, "{\"error\":\"not found\"}"};
}

}  // namespace aerie
