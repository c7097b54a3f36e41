#include "api/CredentialJoinAuthorizer.hpp"

#include <optional>
#include <string_view>

#include "core/IsoTime.hpp"
#include "api/IceServers.hpp"
#include "api/SessionCredentials.hpp"
#include "storage/MediaMode.hpp"

namespace aerie {
namespace {

JoinGrant refuse(std::string reason, std::string info) {
  JoinGrant g;
  g.reason = std::move(reason);
  g.info = std::move(info);
  return g;
}

std::optional<std::string> stringField(const boost::json::object& o, std::string_view key) {
  const auto* v = o.if_contains(key);
  if (!v || !v->is_string() || v->get_string().empty()) return std::nullopt;
  return std::string(v->get_string());
}

// `len` comes back as the JSON number we sent; the browser may have re-serialized it
// in another form (24 vs 24.0), so it is compared as a number.
std::optional<double> hoursField(const boost::json::object& o) {
  const auto* v = o.if_contains("len");
  if (!v) return std::nullopt;
  if (v->is_int64()) return static_cast<double>(v->get_int64());
  if (v->is_uint64()) return static_cast<double>(v->get_uint64());
  if (v->is_double()) return v->get_double();
  return std::nullopt;
}

bool usable(const std::optional<App>& app, std::int64_t nowMs) {
  return app && !app->revoked && !(app->expiresAtMs && nowMs >= *app->expiresAtMs);
}

}  // namespace

CredentialJoinAuthorizer::CredentialJoinAuthorizer(AppStore& store, const TokenSigner& signer,
                                                   const ApiConfig& config, const Limits& limits)
    : store_(store), signer_(signer), config_(config), limits_(limits) {}

JoinGrant CredentialJoinAuthorizer::authorize(const boost::json::object& m, std::int64_t nowMs) {
  SessionCredentials::Session s;
  const auto uid = stringField(m, "uid");
  const auto cid = stringField(m, "cid");
  const auto rid = stringField(m, "rid");
  const auto userCred = stringField(m, "userCred");
  const auto timeStamp = stringField(m, "timeStamp");
  const auto roomCred = stringField(m, "roomCred");
  const auto start = stringField(m, "start");
  const auto len = hoursField(m);
  if (!uid || !cid || !rid || !userCred || !timeStamp || !roomCred || !start || !len) {
    return refuse("credentialError", "joinRoom lacks a credential field");
  }
  const auto roomName = SessionCredentials::roomNameOf(*roomCred);
  if (!roomName) return refuse("credentialError", "roomCred is malformed");

  // The key may have been revoked between the API call and this join.
  const auto app = store_.findByKey(*cid);
  if (!usable(app, nowMs)) return refuse("keyFailed", "app key is unknown, revoked or expired");
  std::optional<App> realmApp = app;
  if (app->parentKey) {
    realmApp = store_.findByKey(*app->parentKey);
    if (!usable(realmApp, nowMs) || realmApp->parentKey) {
      return refuse("keyFailed", "the parent of this alias key is gone or disabled");
    }
  }

  s.username = *uid;
  s.roomKey = *rid;
  s.timeStamp = *timeStamp;
  s.start = *start;
  s.lenHours = *len;
  s.appKey = app->appKey;
  s.realm = realmApp->appKey;
  s.roomName = *roomName;
  const SessionCredentials creds(signer_);
  if (!creds.verifyRoomCred(s, *roomCred) || !creds.verifyUserCred(s, *userCred)) {
    return refuse("credentialError", "credentials were not issued by this server");
  }

  // Signed by us, so it parses unless the signing side had a bug; still never trust it.
  const auto startMs = IsoTime::parseMs(s.start);
  if (!startMs) return refuse("credentialError", "start is not an ISO 8601 date-time");
  if (nowMs < *startMs - config_.clockSkewMs) {
    return refuse("notStart", "the room session has not started yet");
  }
  const auto sessionEndMs =
      static_cast<std::int64_t>(static_cast<double>(*startMs) + s.lenHours * 3600000.0);
  if (nowMs > sessionEndMs) {
    return refuse("expired", "the credentials have expired");
  }

  JoinGrant g;
  g.ok = true;
  g.roomKey = s.roomKey;
  g.realm = s.realm;
  g.appKey = s.appKey;
  g.roomName = s.roomName;
  // The realm's limit, not the alias's: parent and aliases share the room, and its cap must
  // not depend on which key joined first.
  g.maxPeers =
      realmApp->maxPeersPerRoom != 0 ? realmApp->maxPeersPerRoom : limits_.defaultMaxPeersPerRoom;
  g.privileged = false;
  g.sfu = realmApp->mediaMode == MediaMode::Sfu;  // the realm's mode, as for the peer limit
  g.autoMedia = realmApp->mediaMode == MediaMode::Auto;
  g.autoSfuPeers = realmApp->autoSfuPeers;
  g.iceServers = IceServers::build(config_, nowMs, realmApp->turnEnabled, sessionEndMs);
  return g;
}

}  // namespace aerie
