#pragma once
#include <string>
#include <utility>
#include <vector>

#include "app/StaticFiles.hpp"
#include "transport/HttpHandler.hpp"

namespace aerie {

class ApiService;

// Every HTTP request but socket.io: the API server, health, static pages.
class AppRouter : public HttpHandler {
 public:
  // A URL prefix served from a directory; the first matching prefix wins. A prefix ending in
  // '/' (or empty) keeps the path below it; any other prefix keeps the whole file name
  // (`/skylink` serves /skylink.js from the directory as skylink.js).
  struct Mount {
    std::string prefix;
    StaticFiles files;
  };
  AppRouter(ApiService& api, std::vector<Mount> mounts);
  HttpReply handle(const HttpRequestView& request, std::int64_t nowMs) override;

 private:
  ApiService& api_;
  std::vector<Mount> mounts_;
};

}  // namespace aerie
