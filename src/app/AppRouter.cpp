#include "app/AppRouter.hpp"

#include "admin/AdminApi.hpp"
#include "api/ApiService.hpp"

namespace aerie {

AppRouter::AppRouter(ApiService& api, AdminApi& admin, std::vector<Mount> mounts,
                     MetricsHandler metrics)
    : api_(api), admin_(admin), mounts_(std::move(mounts)), metrics_(std::move(metrics)) {}

HttpReply AppRouter::handle(const HttpRequestView& request, std::int64_t nowMs) {
  std::string_view target = request.target;
  std::string_view path = target.substr(0, target.find('?'));
  if (ApiService::handles(target)) return api_.handle(request, nowMs);
  if (path == "/health") return HttpReply{200, "application/json", {}, "{\"ok\":true}"};
  for (const auto& [fixedPath, reply] : fixed_) {
    if (path == fixedPath) return reply;
  }
  // The conferencing app: every /r/<room> is its room page.
  if (path.rfind("/r/", 0) == 0 && path.size() > 3) path = "/room.html";
  if (request.method == "GET" || request.method == "HEAD") {
    for (const auto& m : mounts_) {
      if (path.rfind(m.prefix, 0) != 0) continue;
      bool isDir = m.prefix.empty() || m.prefix.back() == '/';
      std::string_view rest = isDir ? path.substr(m.prefix.empty() ? 0 : m.prefix.size() - 1)
                                    : path.substr(path.rfind('/'));
      if (auto file = m.files.get(rest)) return *file;
    }
  }
  return HttpReply{404, "application/json", {}, "{\"error\":\"not found\"}"};
}

// The admin API and /metrics are only here: their replies come from the Hub's loop; and in
// cluster mode the API's, from the cluster registry's thread.
void AppRouter::handleAsync(const HttpRequestView& request, std::int64_t nowMs, HttpDone done) {
  const std::string_view target = request.target;
  const std::string_view path = target.substr(0, target.find('?'));
  if (ApiService::handles(target)) return api_.handleAsync(request, nowMs, std::move(done));
  if (AdminApi::handles(target)) return admin_.handleAsync(request, nowMs, std::move(done));
  if (path == "/metrics" && metrics_) return metrics_(request, nowMs, std::move(done));
  done(handle(request, nowMs));
}

}  // namespace aerie

namespace aerie {
void AppRouter::addFixed(std::string path, HttpReply reply) {
  fixed_.emplace_back(std::move(path), std::move(reply));
}
}  // namespace aerie
