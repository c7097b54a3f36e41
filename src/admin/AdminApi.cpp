#include "admin/AdminApi.hpp"

#include <algorithm>
#include <iterator>
#include "codec/QueryString.hpp"

#include <boost/json/array.hpp>
#include <boost/json/parse.hpp>
#include <boost/json/parse_options.hpp>
#include <stdexcept>

#include "admin/AdminJson.hpp"
#include "admin/AdminOpenApi.hpp"
#include "admin/AdminRecordings.hpp"
#include "admin/AppChangeRelay.hpp"
#include "admin/AdminToken.hpp"
#include "admin/AppFields.hpp"
#include "admin/ClusterAdminLink.hpp"
#include "core/IsoTime.hpp"
#include "core/Log.hpp"
#include "api/ApiTarget.hpp"
#include "hub/Hub.hpp"
#include "api/SessionCredentials.hpp"
#include "transport/HubGateway.hpp"

namespace aerie {
namespace {

using Endpoint = AdminRoute::Endpoint;

constexpr std::int64_t kDefaultUsageWindowMs = 30LL * 24 * 3600 * 1000;

HttpReply notFound(std::string_view what) {
  return AdminJson::error(404, "not_found", what);
}

// Every shard's answer, or nullopt if one of them failed.
template <class R>
std::optional<std::vector<R>> allShards(std::vector<std::optional<R>> results) {
  std::vector<R> out;
  out.reserve(results.size());
  for (auto& r : results) {
    if (!r) return std::nullopt;
    out.push_back(std::move(*r));
  }
  return out;
}

// Whether some shard said yes (the one that has the room or the peer), nullopt on a failure.
std::optional<bool> anyShard(std::vector<std::optional<bool>> results) {
  auto all = allShards(std::move(results));
  if (!all) return std::nullopt;
  return std::find(all->begin(), all->end(), true) != all->end();
}

// The node-to-node form of a request about a peer or a room this node does not hold: the same
// method, target and body with `local=1`, so the node that holds it answers for itself alone.
// nullopt outside cluster mode, or when the request is already another node's `local=1`.
std::optional<NodeRequest> forOtherNodes(const HttpRequestView& req, const ClusterAdminLink* cluster) {
  if (cluster == nullptr) return std::nullopt;
  const std::string_view target = req.target;
  const auto q = target.find('?');
  if (q != std::string_view::npos && QueryString::param(target.substr(q + 1), "local") == "1") return std::nullopt;
  return NodeRequest{req.method, std::string(target) + (q == std::string_view::npos ? "?" : "&") + "local=1",
                     req.authorization, req.body};
}

// Asks the other nodes; the first that holds the peer or the room (any answer but 404) gives
// the reply, with its id as `node`. None: 404 `missing`, naming the nodes that did not answer.
void askHolder(ClusterAdminLink& cluster, const NodeRequest& request, std::string missing, HttpDone done) {
  cluster.askOthers(request, [missing = std::move(missing), done = std::move(done)](std::vector<NodeAnswer> answers) {
    std::string silent;
    for (auto& a : answers) {
      if (a.ok && a.status != 404) {
        boost::system::error_code ec;
        boost::json::value v = boost::json::parse(a.body, ec);
        if (ec || !v.is_object()) {
          return done(AdminJson::error(502, "bad_gateway", "node " + a.nodeId + " gave an unreadable answer"));
        }
        v.as_object()["node"] = a.nodeId;
        return done(AdminJson::reply(static_cast<unsigned>(a.status), v));
      }
      if (!a.ok) silent += (silent.empty() ? "" : ", ") + a.nodeId + " (" + a.error + ")";
    }
    done(AdminJson::error(404, "not_found", silent.empty() ? missing : missing + "; no answer from " + silent));
  });
}

HttpReply hubFailed() {
  return AdminJson::error(500, "internal_error", "the server could not complete the request");
}

HttpReply badRequest(std::string_view why) {
  return AdminJson::error(400, "bad_request", why);
}

// A request body that must be one JSON object, or the reply that says why it is not.
struct Body {
  boost::json::object object;
  std::optional<HttpReply> error;
};

Body jsonBody(const HttpRequestView& req, const Limits& limits) {
  Body b;
  if (req.body.size() > limits.maxHttpBodyBytes) {
    b.error = AdminJson::error(413, "payload_too_large",
                               "the body is over " + std::to_string(limits.maxHttpBodyBytes) +
                                   " bytes");
    return b;
  }
  boost::json::parse_options options;
  options.max_depth = limits.maxJsonDepth;
  boost::system::error_code ec;
  boost::json::value v = boost::json::parse(req.body, ec, {}, options);
  if (ec || !v.is_object()) {
    b.error = badRequest("the body must be a JSON object");
    return b;
  }
  b.object = std::move(v.get_object());
  return b;
}

// The primary key of the realm `app` belongs to.
std::string realmOf(const App& app) {
  return app.parentKey.value_or(app.appKey);
}

// A query parameter as an ISO 8601 time; `fallback` when absent, nullopt when malformed.
std::optional<std::int64_t> timeParam(std::string_view target, std::string_view name,
                                      std::int64_t fallback) {
  const auto q = target.find('?');
  if (q == std::string_view::npos) return fallback;
  const auto raw = QueryString::param(target.substr(q + 1), name);
  if (!raw) return fallback;
  const auto decoded = QueryString::percentDecode(*raw);
  if (!decoded) return std::nullopt;
  return IsoTime::parseMs(*decoded);
}

}  // namespace

AdminApi::AdminApi(AppStore& store, HubGateway& hub, const Limits& limits)
    : store_(store), hub_(hub), limits_(limits) {}

bool AdminApi::handles(std::string_view target) {
  const std::string_view path = target.substr(0, target.find('?'));
  return path == "/admin" || path.starts_with("/admin/");
}

HttpReply AdminApi::handle(const HttpRequestView& req, std::int64_t nowMs) {
  std::optional<HttpReply> reply;
  handleAsync(req, nowMs, [&reply](HttpReply r) { reply = std::move(r); });
  if (!reply) {  // only with a HubGateway bound to running loops: not what this is for
    return AdminJson::error(500, "internal_error", "the reply was not ready");
  }
  return std::move(*reply);
}

void AdminApi::handleAsync(const HttpRequestView& req, std::int64_t nowMs, HttpDone done) {
  const std::string_view target = req.target;
  const AdminRoute route = AdminRoute::parse(target.substr(0, target.find('?')));
  // The description of the API is public: it holds no data.
  if (route.endpoint == Endpoint::OpenApi && req.method == "GET") {
    HttpReply r = AdminJson::reply(200, boost::json::object{});
    r.body = AdminOpenApi::document();
    return done(std::move(r));
  }
  // Authentication comes before routing, so that without the token no path tells anything.
  if (!AdminToken::accepts(store_, req.authorization)) {
    return done(AdminJson::error(401, "unauthorized",
                                 "send the admin token as 'Authorization: Bearer <token>' "
                                 "(`aerie token --data DIR` prints it)"));
  }
  if (route.endpoint == Endpoint::None) return done(notFound("no such admin endpoint"));
  if (route.endpoint == Endpoint::BadEscape) {
    return done(badRequest("malformed percent-escape in the request path"));
  }
  if (!AdminRoute::allows(route.endpoint, req.method)) {
    HttpReply r = AdminJson::error(405, "method_not_allowed",
                                   req.method + " is not allowed here");
    r.headers.emplace_back("Allow", std::string(AdminRoute::methods(route.endpoint)));
    return done(std::move(r));
  }
  try {
    dispatch(req, route, nowMs, done);
  } catch (const std::exception& e) {
    // The store's errors name files, not secrets; the reply keeps to a generic sentence.
    log::error("admin", "request failed", {{"method", req.method}, {"error", e.what()}});
    if (done) done(AdminJson::error(500, "internal_error", "the server could not complete the request"));
  }
}

// `done` is moved out when the reply is on its way (at once, or from the Hub's loop), so an
// exception before that still finds it in handleAsync.
void AdminApi::dispatch(const HttpRequestView& req, const AdminRoute& route, std::int64_t nowMs,
                        HttpDone& done) {
  const std::string_view m = req.method;
  auto reply = [&done](HttpReply r) { std::exchange(done, nullptr)(std::move(r)); };
  if (route.endpoint == Endpoint::Apps) {
    return reply(m == "GET" ? listApps() : createApp(req, nowMs));
  }
  if (!route.recording.empty() || route.endpoint == Endpoint::Recordings) {
    return reply(AdminRecordings::handle(recordings_, req, route));
  }
  const auto app = store_.findByKey(route.appKey);
  if (!app) return reply(notFound("no such app key"));
  switch (route.endpoint) {
    case Endpoint::App:
      if (m == "GET") return reply(getApp(*app));
      if (m == "PATCH") return reply(updateApp(req, *app));
      return revokeApp(*app, std::exchange(done, nullptr));
    case Endpoint::RotateSecret:
      return reply(rotateSecret(*app));
    case Endpoint::Aliases:
      return reply(m == "GET" ? listAliases(*app) : createAlias(req, *app, nowMs));
    case Endpoint::Rooms:
      return listRooms(req, *app, std::exchange(done, nullptr));
    case Endpoint::RoomLock:
      return lockRoom(req, *app, route.room, std::exchange(done, nullptr));
    case Endpoint::Peer:
      return removePeer(req, *app, route.sid, std::exchange(done, nullptr));
    case Endpoint::Usage:
      return reply(usage(req, *app, nowMs));
    default:
      return reply(notFound("no such admin endpoint"));
  }
}

// ---- apps and alias keys ------------------------------------------------------------------

HttpReply AdminApi::listApps() {
  boost::json::array apps;
  for (const auto& a : store_.list()) apps.emplace_back(AdminJson::app(a, false));
  return AdminJson::reply(200, boost::json::object{{"apps", std::move(apps)}});
}

HttpReply AdminApi::createApp(const HttpRequestView& req, std::int64_t nowMs) {
  Body body = jsonBody(req, limits_);
  if (body.error) return *body.error;
  auto fields = AppFields::forCreate(body.object);
  if (!fields.value) return badRequest(fields.problem);
  const App app = store_.create(*fields.value, nowMs);
  log::info("admin", "app created", {{"appKey", app.appKey}});
  // The one time the secret leaves the server through the API.
  return AdminJson::reply(201, AdminJson::app(app, true));
}

HttpReply AdminApi::getApp(const App& app) {
  return AdminJson::reply(200, AdminJson::app(app, false));
}

HttpReply AdminApi::updateApp(const HttpRequestView& req, const App& app) {
  Body body = jsonBody(req, limits_);
  if (body.error) return *body.error;
  auto fields = AppFields::forUpdate(body.object);
  if (!fields.value) return badRequest(fields.problem);
  const auto updated = store_.update(app.appKey, *fields.value);
  if (!updated) return notFound("no such app key");
  log::info("admin", "app updated", {{"appKey", app.appKey}});
  return AdminJson::reply(200, AdminJson::app(*updated, false));
}

void AdminApi::revokeApp(const App& app, HttpDone done) {
  store_.revoke(app.appKey);
  const App after = store_.findByKey(app.appKey).value_or(app);
  // Peers already in rooms with this key (or in its realm) leave now, not when they next join.
  AppChangeRelay::kickApp(hub_, app.appKey,
                          [after, done = std::move(done)](std::optional<std::size_t> kicked) {
                            log::info("admin", "app revoked",
                                      {{"appKey", after.appKey},
                                       {"peersRemoved", kicked ? std::to_string(*kicked) : "?"}});
                            done(AdminJson::reply(200, AdminJson::app(after, false)));
                          });
}

HttpReply AdminApi::rotateSecret(const App& app) {
  const auto secret = store_.rotateSecret(app.appKey);
  if (!secret) return notFound("no such app key");
  log::info("admin", "app secret rotated", {{"appKey", app.appKey}});
  return AdminJson::reply(200, boost::json::object{{"appKey", app.appKey}, {"secret", *secret}});
}

HttpReply AdminApi::listAliases(const App& app) {
  boost::json::array aliases;
  for (const auto& a : store_.listAliases(app.appKey)) {
    aliases.emplace_back(AdminJson::app(a, false));
  }
  return AdminJson::reply(200, boost::json::object{{"aliases", std::move(aliases)}});
}

HttpReply AdminApi::createAlias(const HttpRequestView& req, const App& app,
                                std::int64_t nowMs) {
  if (app.parentKey) {
    return AdminJson::error(409, "conflict",
                            "this is an alias key; create the alias on its parent key");
  }
  if (app.revoked) return AdminJson::error(409, "conflict", "this key is revoked");
  Body body = jsonBody(req, limits_);
  if (body.error) return *body.error;
  auto fields = AppFields::forAlias(body.object, app);
  if (!fields.value) return badRequest(fields.problem);
  const App alias = store_.create(*fields.value, nowMs);
  log::info("admin", "alias key created", {{"appKey", alias.appKey}, {"parentKey", app.appKey}});
  return AdminJson::reply(201, AdminJson::app(alias, true));
}

// ---- live rooms and peers -----------------------------------------------------------------

// The Hub's answer becomes the reply on the Hub's loop: building it is all that runs there. In
// cluster mode the other nodes' rooms are added (asked of them in parallel, their own parts
// only), each room named with its node; a node that does not answer is listed with why.
void AdminApi::listRooms(const HttpRequestView& req, const App& app, HttpDone done) {
  const std::string realm = realmOf(app);
  const std::string_view target = req.target;
  const auto q = target.find('?');
  const bool localOnly =
      cluster_ == nullptr ||
      (q != std::string_view::npos && QueryString::param(target.substr(q + 1), "local") == "1");
  NodeRequest others;
  if (!localOnly) others = NodeRequest{"GET", std::string(target) + (q == std::string_view::npos ? "?" : "&") + "local=1",
                                       req.authorization, {}};
  ClusterAdminLink* cluster = localOnly ? nullptr : cluster_;
  hub_.gather<std::vector<RoomSnapshot>>(
      [realm](Hub& hub) { return hub.rooms(realm); },
      [realm, cluster, others = std::move(others), done = std::move(done)](std::vector<std::optional<std::vector<RoomSnapshot>>> perShard) {
        auto shards = allShards(std::move(perShard));
        if (!shards) return done(hubFailed());
        std::vector<RoomSnapshot> rooms;
        for (auto& part : *shards) std::move(part.begin(), part.end(), std::back_inserter(rooms));
        std::sort(rooms.begin(), rooms.end(),
                  [](const auto& a, const auto& b) { return a.roomKey < b.roomKey; });
        boost::json::array out;
        std::size_t peers = 0;
        for (const auto& r : rooms) {
          peers += r.peers.size();
          out.emplace_back(AdminJson::room(r));
          if (cluster != nullptr) out.back().as_object()["node"] = cluster->selfId();
        }
        boost::json::object reply{{"realm", realm}, {"peerCount", peers}, {"rooms", std::move(out)}};
        if (cluster == nullptr) return done(AdminJson::reply(200, std::move(reply)));
        auto mine = std::make_shared<boost::json::object>(std::move(reply));
        cluster->askOthers(others, [mine, self = cluster->selfId(), done](std::vector<NodeAnswer> answers) {
          boost::json::object& merged = *mine;
          auto& list = merged["rooms"].as_array();
          std::uint64_t total = merged["peerCount"].to_number<std::uint64_t>();
          boost::json::array nodes{boost::json::object{{"node", self}, {"ok", true}}};
          for (auto& a : answers) {
            boost::json::object entry{{"node", a.nodeId}};
            boost::system::error_code ec;
            boost::json::value v = a.ok && a.status == 200 ? boost::json::parse(a.body, ec) : nullptr;
            const auto* part = !ec && v.is_object() ? v.as_object().if_contains("rooms") : nullptr;
            if (part == nullptr || !part->is_array()) {
              entry["ok"] = false;
              entry["error"] = !a.ok ? a.error : "HTTP " + std::to_string(a.status);
              nodes.emplace_back(std::move(entry));
              continue;
            }
            for (const auto& room : part->as_array()) {
              if (!room.is_object()) continue;
              boost::json::object r = room.as_object();
              r["node"] = a.nodeId;
              if (const auto* n = r.if_contains("peerCount"); n != nullptr && n->is_number()) {
                total += n->to_number<std::uint64_t>();
              }
              list.emplace_back(std::move(r));
            }
            entry["ok"] = true;
            nodes.emplace_back(std::move(entry));
          }
          merged["peerCount"] = total;
          merged["nodes"] = std::move(nodes);
          done(AdminJson::reply(200, std::move(merged)));
        });
      });
}

void AdminApi::lockRoom(const HttpRequestView& req, const App& app, const std::string& room,
                        HttpDone done) {
  Body body = jsonBody(req, limits_);
  if (body.error) return done(std::move(*body.error));
  const auto* locked = body.object.if_contains("locked");
  if (body.object.size() != 1 || locked == nullptr || !locked->is_bool()) {
    return done(badRequest("the body must be {\"locked\": true|false}"));
  }
  // The Hub's room id, made the way the API server makes it (spec section 7).
  const std::string roomKey = SessionCredentials::roomKey(realmOf(app), room);
  const bool lock = locked->get_bool();
  // In cluster mode a room this node does not hold is locked by the node that does.
  hub_.gather<bool>([roomKey, lock](Hub& hub) { return hub.setLocked(roomKey, lock); },
                  [room, roomKey, lock, cluster = cluster_, others = forOtherNodes(req, cluster_),
                   done = std::move(done)](std::vector<std::optional<bool>> perShard) {
                    const auto found = anyShard(std::move(perShard));
                    if (!found) return done(hubFailed());
                    const std::string missing = "no live room of that name in this realm";
                    if (!*found && others) return askHolder(*cluster, *others, missing, done);
                    if (!*found) return done(notFound(missing));
                    log::info("admin", lock ? "room locked" : "room unlocked", {{"roomKey", roomKey}});
                    boost::json::object body{{"name", room}, {"roomKey", roomKey}, {"locked", lock}};
                    if (cluster != nullptr) body["node"] = cluster->selfId();
                    done(AdminJson::reply(200, body));
                  });
}

void AdminApi::removePeer(const HttpRequestView& req, const App& app, const std::string& sid, HttpDone done) {
  // The sid must be in this realm: the path says which app the caller means. In cluster mode a
  // peer this node does not hold is removed by the node that does.
  hub_.gather<bool>(
      [realm = realmOf(app), sid](Hub& hub) {
        for (const auto& room : hub.rooms(realm)) {
          for (const auto& peer : room.peers) {
            if (peer == sid) return hub.kick(sid);
          }
        }
        return false;
      },
      [sid, cluster = cluster_, others = forOtherNodes(req, cluster_),
       done = std::move(done)](std::vector<std::optional<bool>> perShard) {
        const auto removed = anyShard(std::move(perShard));
        if (!removed) return done(hubFailed());
        const std::string missing = "no peer with that sid in this realm";
        if (!*removed && others) return askHolder(*cluster, *others, missing, done);
        if (!*removed) return done(notFound(missing));
        log::info("admin", "peer removed", {{"sid", sid}});
        boost::json::object body{{"removed", sid}};
        if (cluster != nullptr) body["node"] = cluster->selfId();
        done(AdminJson::reply(200, body));
      });
}

// ---- usage --------------------------------------------------------------------------------

HttpReply AdminApi::usage(const HttpRequestView& req, const App& app, std::int64_t nowMs) {
  const auto to = timeParam(req.target, "to", nowMs);
  if (!to) return badRequest("'to' must be an ISO 8601 date-time with a zone");
  const auto from = timeParam(req.target, "from", *to - kDefaultUsageWindowMs);
  if (!from) return badRequest("'from' must be an ISO 8601 date-time with a zone");
  if (*from >= *to) return badRequest("'from' must be before 'to'");
  return AdminJson::reply(200, AdminJson::usage(app.appKey, store_.usage(app.appKey, *from, *to)));
}

}  // namespace aerie
