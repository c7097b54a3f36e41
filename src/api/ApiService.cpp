#include "api/ApiService.hpp"

#include <boost/json/object.hpp>
#include <boost/json/serialize.hpp>
#include <charconv>
#include <cmath>

#include "core/Crypto.hpp"
#include "core/IsoTime.hpp"
#include "api/ApiTarget.hpp"
#include "api/OriginPolicy.hpp"
#include "api/RoomName.hpp"
#include "api/SessionCredentials.hpp"
#include "storage/MediaMode.hpp"

namespace aerie {
namespace {

// Skylink error codes (spec section 2, "Error reply"), plus plain HTTP 400/404 for requests
// that are not a session request at all.
enum ErrorCode : int {  // unscoped: the codes are ints in the reply
  BadRequest = 400,
  NotFound = 404,
  ApiInvalid = 4001,
  DomainNotMatch = 4002,
  CorsDomainNotMatch = 4003,
  CredentialsInvalid = 4004,
  CredentialsNotMatch = 4005,
  InvalidParentKey = 4006,
  // Cluster mode: no node can be named for the room (the registry, Redis, is unreachable and
  // the room is not on this node). Transient: the page may try again.
  RoomUnplaceable = 5003,
};

// The one place codes become HTTP statuses. SkylinkJS reads `error` from the body whatever
// the status, so the status only serves logs and caches.
unsigned statusFor(int code) {
  switch (code) {
    case BadRequest:
      return 400;
    case NotFound:
      return 404;
    case DomainNotMatch:
    case CorsDomainNotMatch:
      return 403;
    case RoomUnplaceable:
      return 503;
    default:
      return 401;
  }
}

constexpr double kMaxDurationHours = 24.0 * 365;
constexpr std::string_view kDefaultAllowHeaders =
    "Skylink_SDK_version, Skylink_SDK_type, Content-Type";

// An Origin we may copy into a header: visible ASCII only, so nothing can split the header.
bool safeHeaderValue(std::string_view v) {
  if (v.empty() || v.size() > 1024) return false;
  for (char c : v) {
    if (c < 0x21 || c > 0x7E) return false;
  }
  return true;
}

// Every reply to a cross-origin request, errors included, must carry the origin, or the
// browser hides the reply and the page sees a network error instead of our code (spec 2).
void addCors(HttpReply& r, const HttpRequestView& req) {
  if (req.origin && safeHeaderValue(*req.origin)) {
    r.headers.emplace_back("Access-Control-Allow-Origin", *req.origin);
  }
  r.headers.emplace_back("Vary", "Origin");
  r.headers.emplace_back("Cache-Control", "no-store");  // sessions are per user and per call
}

HttpReply fail(const HttpRequestView& req, int code, std::string_view info) {
  HttpReply r;
  r.status = statusFor(code);
  boost::json::object body;
  body["success"] = false;
  body["error"] = code;
  body["info"] = info;
  r.body = boost::json::serialize(body);
  addCors(r, req);
  return r;
}

HttpReply noContent(const HttpRequestView& req) {
  HttpReply r;
  r.status = 204;
  addCors(r, req);
  return r;
}

// Answers the browser's CORS preflight for the GET (custom Skylink_SDK_* headers) and the
// stats POST (JSON body). It allows every origin: the real request then gets 4003 with the
// origin echoed, which the page can read, instead of an opaque network failure.
HttpReply preflight(const HttpRequestView& req) {
  HttpReply r = noContent(req);
  std::string allow;
  for (char c : req.accessControlRequestHeaders) {
    const bool token = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
                       c == '-' || c == '_' || c == ',' || c == ' ';
    if (token) allow += c;
  }
  if (allow.find_first_not_of(", ") == std::string::npos) allow = kDefaultAllowHeaders;
  r.headers.emplace_back("Access-Control-Allow-Methods", "GET, POST, OPTIONS");
  r.headers.emplace_back("Access-Control-Allow-Headers", allow);
  r.headers.emplace_back("Access-Control-Max-Age", "600");
  return r;
}

bool expired(const App& app, std::int64_t nowMs) {
  return app.expiresAtMs && nowMs >= *app.expiresAtMs;
}

std::string_view pathOf(std::string_view target) {
  return target.substr(0, target.find('?'));
}

// `Host` minus its port; an IPv6 literal keeps its brackets, since the client builds
// `scheme//ipSigserver:port` from it.
std::string hostWithoutPort(std::string_view host) {
  if (!host.empty() && host.front() == '[') return std::string(host.substr(0, host.find(']') + 1));
  return std::string(host.substr(0, host.find(':')));
}

// SkylinkJS 2.x announces itself with Skylink_API_version and X-Server-Select on the API
// request (0.9.x sends only Skylink_SDK_version, 0.5-0.6 nothing); a 2.x SDK version is the
// fallback should a proxy drop the other two.
bool isSkylink2(const HttpRequestView& req) {
  if (!req.skylinkApiVersion.empty() || !req.serverSelect.empty()) return true;
  const std::string_view v = req.skylinkSdkVersion;
  return !v.empty() && v.front() >= '1' && v.front() <= '9';
}

// Where the reply sends the client: this server (ApiConfig), or the room's node in a cluster.
struct SignalingTarget {
  std::string host;  // empty: the Host the browser used
  std::vector<std::uint16_t> httpPorts;
  std::vector<std::uint16_t> httpsPorts;
};

// `ipSigserver`. 0.5-0.9 append a port from httpPortList/httpsPortList themselves; 2.x uses the
// value as the whole `host:port` of its socket URL and never reads the lists.
std::string signalingServer(const SignalingTarget& target, const HttpRequestView& req) {
  if (target.host.empty()) {
    return isSkylink2(req) ? req.host : hostWithoutPort(req.host);
  }
  const std::string& host = target.host;
  const bool hasPort = host.find(':', host.front() == '[' ? host.find(']') : 0) != std::string::npos;
  if (!isSkylink2(req) || hasPort) return host;
  const auto& ports = req.secure && !target.httpsPorts.empty() ? target.httpsPorts : target.httpPorts;
  return ports.empty() ? host : host + ":" + std::to_string(ports.front());
}

std::optional<double> parseHours(std::string_view s) {
  double v = 0;
  const auto r = std::from_chars(s.data(), s.data() + s.size(), v);
  if (r.ec != std::errc() || r.ptr != s.data() + s.size() || !std::isfinite(v)) {
    return std::nullopt;
  }
  if (v <= 0 || v > kMaxDurationHours) return std::nullopt;
  return v;
}

boost::json::array ports(const std::vector<std::uint16_t>& list) {
  boost::json::array a;
  for (auto p : list) a.emplace_back(p);
  return a;
}

// A whole number of hours serializes as an integer (`24`, not `2.4E1`).
boost::json::value hoursValue(double h) {
  if (h == std::floor(h) && h < 1e15) return static_cast<std::int64_t>(h);
  return h;
}

}  // namespace

ApiService::ApiService(AppStore& store, const TokenSigner& signer, const ApiConfig& config,
                       const Limits& limits)
    : store_(store), signer_(signer), config_(config), limits_(limits) {}

bool ApiService::handles(std::string_view target) {
  const std::string_view path = pathOf(target);
  return path == "/api" || path.starts_with("/api/") || path.starts_with("/rest/stats/");
}

HttpReply ApiService::handle(const HttpRequestView& req, std::int64_t nowMs) {
  const std::string_view path = pathOf(req.target);
  if (path.starts_with("/rest/stats/")) return stats(req);
  if (path.starts_with("/api/") && req.method == "OPTIONS") return preflight(req);
  if (path.starts_with("/api/") && req.method == "GET") return session(req, nowMs);
  return fail(req, NotFound, "no such API endpoint");
}

void ApiService::handleAsync(const HttpRequestView& req, std::int64_t nowMs, std::function<void(HttpReply)> done) {
  const std::string_view path = pathOf(req.target);
  if (placer_ == nullptr || !path.starts_with("/api/") || req.method != "GET") return done(handle(req, nowMs));
  Prepared p = prepare(req, nowMs);
  if (p.error) return done(std::move(*p.error));
  // The request view lives only during this call: the completion keeps a copy.
  placer_->placeAsync(p.roomKey, [this, req, body = std::move(p.body), done = std::move(done)](PlacedRoom home) mutable {
    done(finish(req, std::move(body), &home));
  });
}

HttpReply ApiService::stats(const HttpRequestView& req) {
  if (req.method == "OPTIONS") return preflight(req);
  if (req.method != "POST") return fail(req, NotFound, "no such API endpoint");
  // The content is not used: accepting stops the client's retries and console errors. A JSON
  // body, since 2.x calls .json() on the reply (and logs a parse error on an empty one).
  statsPosts_.fetch_add(1, std::memory_order_relaxed);
  HttpReply r;
  r.body = R"({"success":true})";
  addCors(r, req);
  return r;
}

HttpReply ApiService::session(const HttpRequestView& req, std::int64_t nowMs) {
  Prepared p = prepare(req, nowMs);
  if (p.error) return std::move(*p.error);
  if (placer_ == nullptr) return finish(req, std::move(p.body), nullptr);
  const PlacedRoom home = placer_->place(p.roomKey);
  return finish(req, std::move(p.body), &home);
}

ApiService::Prepared ApiService::prepare(const HttpRequestView& req, std::int64_t nowMs) {
  Prepared prepared;
  const auto refuse = [&](int code, std::string_view info) {
    prepared.error = fail(req, code, info);
    return std::move(prepared);
  };
  const ApiTarget t = ApiTarget::parse(req.target);
  switch (t.status) {
    case ApiTarget::Status::Ok:
      break;
    case ApiTarget::Status::NotFound:
      return refuse(NotFound, "no such API endpoint; use /api/{appKey}/{room}");
    case ApiTarget::Status::BadSegments:
      return refuse(BadRequest,
                  "room name contains '/', '?' or '#', which SkylinkJS cannot put in a URL path");
    case ApiTarget::Status::BadEscape:
      return refuse(BadRequest, "malformed percent-escape in the request path");
  }

  const auto app = store_.findByKey(t.appKey);
  if (!app || app->revoked || expired(*app, nowMs)) {
    return refuse(ApiInvalid, "unknown, revoked or expired app key");
  }
  std::string realm = app->appKey;
  MediaMode mediaMode = app->mediaMode;  // the realm's: an alias key has its parent's
  if (app->parentKey) {
    const auto parent = store_.findByKey(*app->parentKey);
    if (!parent || parent->revoked || expired(*parent, nowMs) || parent->parentKey) {
      return refuse(InvalidParentKey, "the parent of this alias key is gone or disabled");
    }
    realm = parent->appKey;
    mediaMode = parent->mediaMode;
  }

  // A cross-origin request names its page in Origin. A same-origin GET carries no Origin
  // (Fetch standard), so the page is then told by its Referer, and without one (a
  // no-referrer policy) by the Host the browser addressed: a key whose domains list this
  // server's own name is usable by pages this server hosts.
  if (req.origin) {
    if (!OriginPolicy::allows(app->domains, *req.origin)) {
      return refuse(CorsDomainNotMatch,
                  "origin " + *req.origin + " is not allowed for this key");
    }
  } else {
    std::string_view page = req.host;
    if (req.referer) page = OriginPolicy::originOfUrl(*req.referer).value_or(std::string_view());
    if (!OriginPolicy::allows(app->domains, page)) {
      return refuse(DomainNotMatch, "page domain is not allowed for this key");
    }
  }

  if (auto problem = RoomName::problem(t.room, limits_.maxRoomNameBytes)) {
    return refuse(BadRequest, *problem);
  }

  SessionCredentials::Session s;
  s.start = IsoTime::format(nowMs);
  s.lenHours = config_.defaultDurationHours;
  if (t.start) {
    const auto startMs = IsoTime::parseMs(*t.start);
    if (!startMs) return refuse(CredentialsInvalid, "start is not an ISO 8601 date-time");
    const auto hours = parseHours(*t.duration);
    if (!hours) {
      return refuse(CredentialsInvalid, "duration must be a number of hours in (0, 8760]");
    }
    if (!t.cred || t.cred->empty()) return refuse(CredentialsInvalid, "cred is missing");
    // cred = base64(HMAC-SHA1(secret, room + "_" + duration + "_" + start)) over the values
    // as the page wrote them (spec section 2).
    const std::string expected = crypto::base64Encode(
        crypto::hmacSha1(app->secret, t.room + "_" + *t.duration + "_" + *t.start));
    if (!crypto::constantTimeEqual(expected, *t.cred)) {
      return refuse(CredentialsNotMatch, "cred does not match this key's secret");
    }
    if (nowMs < *startMs - config_.clockSkewMs) {
      return refuse(CredentialsInvalid, "credentials not started yet: start is in the future");
    }
    if (static_cast<double>(nowMs) > static_cast<double>(*startMs) + *hours * 3600000.0) {
      return refuse(CredentialsInvalid, "credentials expired: start + duration has passed");
    }
    s.start = *t.start;
    s.lenHours = *hours;
  }

  s.username = crypto::randomToken(16);
  s.timeStamp = IsoTime::format(nowMs);
  s.appKey = app->appKey;
  s.realm = realm;
  s.roomName = t.room;
  s.roomKey = SessionCredentials::roomKey(realm, t.room);
  const SessionCredentials creds(signer_);

  prepared.roomKey = s.roomKey;
  boost::json::object& body = prepared.body;
  body["success"] = true;
  body["cid"] = s.appKey;
  body["apiOwner"] = app->owner;
  body["room_key"] = s.roomKey;
  body["username"] = s.username;
  body["userCred"] = creds.userCred(s);
  body["timeStamp"] = s.timeStamp;
  body["roomCred"] = creds.roomCred(s);
  body["start"] = s.start;
  body["len"] = hoursValue(s.lenHours);
  // Where the client connects: finish() fills these in (kept here for the order of the fields).
  body["ipSigserver"] = "";
  body["httpPortList"] = boost::json::array();
  body["httpsPortList"] = boost::json::array();
  body["ipSigserverPath"] = "";
  // The client JSON.parse()s these three: they must be strings, not objects (spec 2).
  body["pc_constraints"] = R"({"optional":[{"DtlsSrtpKeyAgreement":true}]})";
  body["offer_constraints"] = R"({"mandatory":{},"optional":[]})";
  body["media_constraints"] = R"({"audio":true,"video":true})";
  body["isPrivileged"] = false;
  body["autoIntroduce"] = true;
  // An sfu realm's rooms are served by the media plane, which SkylinkJS knows as the "MCU".
  // An auto realm's rooms start as meshes: the Hub tells the clients when one switches.
  body["hasMCU"] = mediaMode == MediaMode::Sfu;
  body["hasPersistentMessage"] = false;
  body["enable_stats_config"] = false;
  return prepared;
}

HttpReply ApiService::finish(const HttpRequestView& req, boost::json::object body, const PlacedRoom* home) const {
  SignalingTarget target{config_.signalingHost, config_.httpPorts, config_.httpsPorts};
  if (home != nullptr) {
    if (!home->ok) {
      return fail(req, RoomUnplaceable, "no server can take this room right now (" + home->error + "); try again shortly");
    }
    // Every node serves HTTP and HTTPS on its one port, as this one does.
    target.host = home->host;
    target.httpPorts = {home->port};
    target.httpsPorts = config_.httpsPorts.empty() ? std::vector<std::uint16_t>{} : std::vector<std::uint16_t>{home->port};
  }
  body["ipSigserver"] = signalingServer(target, req);
  body["httpPortList"] = ports(target.httpPorts);
  body["httpsPortList"] = ports(target.httpsPorts);
  HttpReply r;
  r.body = boost::json::serialize(body);
  addCors(r, req);
  return r;
}

}  // namespace aerie
