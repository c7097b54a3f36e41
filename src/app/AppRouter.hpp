#pragma once
#include <functional>
#include <string>
#include <utility>
#include <vector>

#include "app/StaticFiles.hpp"
#include "http/HttpHandler.hpp"

namespace aerie {

class AdminApi;
class ApiService;

// Every HTTP request but socket.io: the API server, the admin API, health, static pages
// (the developer console is the static page /console).
class AppRouter : public HttpHandler {
 public:
  // A URL prefix served from a directory; the first matching prefix wins. A prefix ending in
  // '/' (or empty) keeps the path below it; any other prefix keeps the whole file name
  // (`/skylink` serves /skylink.js from the directory as skylink.js).
  struct Mount {
    std::string prefix;
    StaticFiles files;
  };
  // `metrics` answers GET /metrics (Prometheus text); empty: 404.
  using MetricsHandler = std::function<void(const HttpRequestView&, std::int64_t, HttpDone)>;
  AppRouter(ApiService& api, AdminApi& admin, std::vector<Mount> mounts,
            MetricsHandler metrics = {});
  // A fixed reply for one path (e.g. /app-config.json for the conferencing app).
  void addFixed(std::string path, HttpReply reply);
  // Everything that answers at once: the API server, health, static files.
  HttpReply handle(const HttpRequestView& request, std::int64_t nowMs) override;
  // All of handle(), plus the admin API and /metrics, which answer from the Hub's loop.
  void handleAsync(const HttpRequestView& request, std::int64_t nowMs, HttpDone done) override;

 private:
  ApiService& api_;
  AdminApi& admin_;
  std::vector<Mount> mounts_;
  MetricsHandler metrics_;
  std::vector<std::pair<std::string, HttpReply>> fixed_;
};

}  // namespace aerie
