#pragma once
// The admin REST API under /admin/v1/ (docs/admin-api.md): apps and alias keys in the store,
// live rooms and peers in the Hub, usage records. Every endpoint but /admin/v1/openapi.json
// needs `Authorization: Bearer <admin token>`. Pure request -> reply, like ApiService;
// thread-safe: the store is, and the Hub is reached only through the HubGateway.
#include <cstdint>
#include <string_view>

#include "admin/AdminRoute.hpp"
#include "core/Limits.hpp"
#include "http/HttpExchange.hpp"
#include "storage/AppStore.hpp"

namespace aerie {

class HubGateway;

class AdminApi {
 public:
  AdminApi(AppStore& store, HubGateway& hub, const Limits& limits);

  // True for `/admin` and everything below it.
  static bool handles(std::string_view target);
  HttpReply handle(const HttpRequestView& req, std::int64_t nowMs);

 private:
  HttpReply dispatch(const HttpRequestView& req, const AdminRoute& route, std::int64_t nowMs);

  HttpReply listApps();
  HttpReply createApp(const HttpRequestView& req, std::int64_t nowMs);
  HttpReply getApp(const App& app);
  HttpReply updateApp(const HttpRequestView& req, const App& app);
  HttpReply revokeApp(const App& app);
  HttpReply rotateSecret(const App& app);
  HttpReply listAliases(const App& app);
  HttpReply createAlias(const HttpRequestView& req, const App& app, std::int64_t nowMs);
  HttpReply listRooms(const App& app);
  HttpReply lockRoom(const HttpRequestView& req, const App& app, const std::string& room);
  HttpReply removePeer(const App& app, const std::string& sid);
  HttpReply usage(const HttpRequestView& req, const App& app, std::int64_t nowMs);

  AppStore& store_;
  HubGateway& hub_;
  const Limits& limits_;
};

}  // namespace aerie
