#pragma once
#include "app/StaticFiles.hpp"
#include "transport/HttpHandler.hpp"

namespace aerie {

class ApiService;

// Every HTTP request but socket.io: the API server, health, static pages.
class AppRouter : public HttpHandler {
 public:
  // `vendor` serves /vendor/skylinkjs/ (the npm package, for the demo page).
  AppRouter(ApiService& api, StaticFiles files, StaticFiles vendor);
  HttpReply handle(const HttpRequestView& request, std::int64_t nowMs) override;

 private:
  ApiService& api_;
  StaticFiles files_;
  StaticFiles vendor_;
};

}  // namespace aerie
