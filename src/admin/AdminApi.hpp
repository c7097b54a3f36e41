#pragma once
// The admin REST API under /admin/v1/ (docs/admin-api.md): apps and alias keys in the store,
// live rooms and peers in the Hub, usage records. Every endpoint but /admin/v1/openapi.json
// needs `Authorization: Bearer <admin token>`. Thread-safe: the store is, and the Hub is
// reached only through the HubGateway, whose answer completes the request (handleAsync): no
// loop waits for another.
#include <cstdint>
#include <string_view>

#include "admin/AdminRoute.hpp"
#include "core/Limits.hpp"
#include "http/HttpExchange.hpp"
#include "http/HttpHandler.hpp"
#include "storage/AppStore.hpp"

namespace aerie {

class ClusterAdminLink;
class HubGateway;
class RecordingCatalog;

class AdminApi {
 public:
  AdminApi(AppStore& store, HubGateway& hub, const Limits& limits);

  // Cluster mode: room lists cover every live node (each room with its node's id), and a room
  // lock or a peer removal for a room or peer this node does not hold goes to the node that
  // holds it, unless the request says `local=1` (one node's own part). Set before serving.
  void setCluster(ClusterAdminLink* cluster) { cluster_ = cluster; }

  // True for `/admin` and everything below it.
  static bool handles(std::string_view target);
  // `done` is called once, on this thread or, for the live rooms and peers, on the Hub's.
  void handleAsync(const HttpRequestView& req, std::int64_t nowMs, HttpDone done);
  // handleAsync's reply, for callers whose HubGateway completes at once (unit tests).
  HttpReply handle(const HttpRequestView& req, std::int64_t nowMs);
  // The recordings of SFU rooms (/admin/v1/recordings); without a catalog they answer 404.
  void setRecordings(RecordingCatalog* catalog) { recordings_ = catalog; }

 private:
  void dispatch(const HttpRequestView& req, const AdminRoute& route, std::int64_t nowMs,
                HttpDone& done);

  HttpReply listApps();
  HttpReply createApp(const HttpRequestView& req, std::int64_t nowMs);
  HttpReply getApp(const App& app);
  HttpReply updateApp(const HttpRequestView& req, const App& app);
  void revokeApp(const App& app, HttpDone done);
  HttpReply rotateSecret(const App& app);
  HttpReply listAliases(const App& app);
  HttpReply createAlias(const HttpRequestView& req, const App& app, std::int64_t nowMs);
  void listRooms(const HttpRequestView& req, const App& app, HttpDone done);
  void lockRoom(const HttpRequestView& req, const App& app, const std::string& room, HttpDone done);
  void removePeer(const HttpRequestView& req, const App& app, const std::string& sid, HttpDone done);
  HttpReply usage(const HttpRequestView& req, const App& app, std::int64_t nowMs);

  AppStore& store_;
  HubGateway& hub_;
  const Limits& limits_;
  RecordingCatalog* recordings_ = nullptr;
  ClusterAdminLink* cluster_ = nullptr;
};

}  // namespace aerie
