#include "admin/AdminJson.hpp"

#include <boost/json/array.hpp>
#include <boost/json/serialize.hpp>

#include "core/IsoTime.hpp"
#include "storage/MediaMode.hpp"

namespace aerie {
namespace {

// Minutes to two decimals; a whole number prints as an integer (`3`, not `3E0`).
boost::json::value minutes(std::int64_t ms) {
  const std::int64_t hundredths = (ms + 300) / 600;
  if (hundredths % 100 == 0) return hundredths / 100;
  return static_cast<double>(hundredths) / 100.0;
}

boost::json::object totals(const UsageTotals& t) {
  return {{"sessions", t.sessions},
          {"peerMinutes", minutes(t.peerMs)},
          {"peerSeconds", t.peerMs / 1000}};
}

}  // namespace

boost::json::object AdminJson::app(const App& app, bool withSecret) {
  boost::json::object o;
  o["appKey"] = app.appKey;
  if (withSecret) o["secret"] = app.secret;
  o["name"] = app.name;
  o["owner"] = app.owner;
  boost::json::array domains;
  for (const auto& d : app.domains) domains.emplace_back(d);
  o["domains"] = std::move(domains);
  o["parentKey"] = app.parentKey ? boost::json::value(*app.parentKey) : nullptr;
  o["revoked"] = app.revoked;
  o["createdAt"] = IsoTime::format(app.createdAtMs);
  o["expiresAt"] = app.expiresAtMs ? boost::json::value(IsoTime::format(*app.expiresAtMs)) : nullptr;
  o["maxPeersPerRoom"] = app.maxPeersPerRoom;
  o["turnEnabled"] = app.turnEnabled;
  o["persistentRooms"] = app.persistentRooms;
  o["mediaMode"] = toString(app.mediaMode);
  o["autoSfuPeers"] = app.autoSfuPeers;
  return o;
}

boost::json::object AdminJson::room(const RoomSnapshot& room) {
  boost::json::object o;
  o["name"] = room.name;
  o["roomKey"] = room.roomKey;
  o["locked"] = room.locked;
  o["peerCount"] = room.peers.size();
  boost::json::array peers;
  for (const auto& sid : room.peers) peers.emplace_back(sid);
  o["peers"] = std::move(peers);
  return o;
}

boost::json::object AdminJson::usage(const std::string& appKey, const UsageReport& report) {
  boost::json::object o;
  o["appKey"] = appKey;
  o["from"] = IsoTime::format(report.fromMs);
  o["to"] = IsoTime::format(report.toMs);
  o["sessions"] = report.totals.sessions;
  o["peerMinutes"] = minutes(report.totals.peerMs);
  o["peerSeconds"] = report.totals.peerMs / 1000;
  boost::json::array rooms;
  for (const auto& r : report.rooms) {
    auto t = totals(r.totals);
    t["room"] = r.roomName;
    rooms.emplace_back(std::move(t));
  }
  o["rooms"] = std::move(rooms);
  boost::json::array keys;
  for (const auto& k : report.keys) {
    auto t = totals(k.totals);
    t["appKey"] = k.appKey;
    keys.emplace_back(std::move(t));
  }
  o["keys"] = std::move(keys);
  return o;
}

HttpReply AdminJson::reply(unsigned status, const boost::json::value& body) {
  HttpReply r;
  r.status = status;
  r.contentType = "application/json";
  r.headers.emplace_back("Cache-Control", "no-store");
  r.headers.emplace_back("X-Content-Type-Options", "nosniff");
  r.body = boost::json::serialize(body);
  return r;
}

HttpReply AdminJson::error(unsigned status, std::string_view code, std::string_view message) {
  HttpReply r = reply(status, boost::json::object{{"error", code}, {"message", message}});
  if (status == 401) r.headers.emplace_back("WWW-Authenticate", "Bearer realm=\"aerie-admin\"");
  return r;
}

}  // namespace aerie
