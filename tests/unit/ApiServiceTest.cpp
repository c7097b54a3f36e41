#include <gtest/gtest.h>

#include <boost/json/parse.hpp>

#include "core/Crypto.hpp"
#include "api/ApiService.hpp"
#include "api/SessionCredentials.hpp"
#include "storage/SqliteAppStore.hpp"

namespace aerie {
namespace {

constexpr std::int64_t kNow = 1795600800000;  // 2026-11-25T10:00:00.000Z
constexpr const char* kNowIso = "2026-11-25T10:00:00.000Z";

std::optional<std::string> header(const HttpReply& r, std::string_view name) {
  for (const auto& [k, v] : r.headers) {
    if (k == name) return v;
  }
  return std::nullopt;
}

boost::json::object json(const HttpReply& r) {
  return boost::json::parse(r.body).as_object();
}

class ApiServiceTest : public ::testing::Test {
 protected:
  ApiServiceTest() {
    config.httpPorts = {8080};
    config.httpsPorts = {8443, 443};
    app = makeApp({"app.example", "localhost"});
  }

  App makeApp(std::vector<std::string> domains, std::optional<std::string> parent = {},
              std::string owner = "owner@example.com") {
    NewApp n;
    n.name = "test";
    n.owner = std::move(owner);
    n.domains = std::move(domains);
    n.parentKey = std::move(parent);
    return store.create(n, 0);
  }

  // A cross-origin GET from https://app.example, as SkylinkJS sends it.
  HttpRequestView get(std::string target,
                      std::optional<std::string> origin = std::string("https://app.example")) {
    HttpRequestView r;
    r.method = "GET";
    r.target = std::move(target);
    r.host = "aerie.test:8443";
    r.origin = std::move(origin);
    r.secure = true;
    return r;
  }

  std::string path(const App& a, const std::string& room) {
    return "/api/" + a.appKey + "/" + room;
  }

  // The `cred` a page computes (spec section 2), percent-encoded for the query.
  static std::string cred(const App& a, const std::string& room, const std::string& duration,
                          const std::string& start) {
    std::string b64 =
        crypto::base64Encode(crypto::hmacSha1(a.secret, room + "_" + duration + "_" + start));
    std::string out;
    for (char c : b64) {
      if (c == '+')
        out += "%2B";
      else if (c == '/')
        out += "%2F";
      else if (c == '=')
        out += "%3D";
      else
        out += c;
    }
    return out;
  }

  std::string credPath(const App& a, const std::string& room, const std::string& start,
                       const std::string& duration) {
    return path(a, room) + "/" + start + "/" + duration +
           "?cred=" + cred(a, room, duration, start) + "&rand=1";
  }

  void expectError(const HttpReply& r, unsigned status, int code, std::string_view info = "") {
    EXPECT_EQ(r.status, status) << r.body;
    const auto j = json(r);
    EXPECT_EQ(j.at("success"), false);
    EXPECT_EQ(j.at("error"), code) << r.body;
    EXPECT_NE(j.at("info").as_string().find(info), boost::json::string::npos) << r.body;
  }

  SqliteAppStore store{":memory:"};
  TokenSigner signer{"server-secret"};
  ApiConfig config;
  Limits limits;
  ApiService api{store, signer, config, limits};
  App app;
};

TEST_F(ApiServiceTest, SuccessReplyHasEveryField) {
  const auto r = api.handle(get(path(app, "room") + "?rand=123"), kNow);
  ASSERT_EQ(r.status, 200u) << r.body;
  EXPECT_EQ(r.contentType, "application/json");
  const auto j = json(r);
  EXPECT_EQ(j.at("success"), true);
  EXPECT_EQ(j.at("cid").as_string(), app.appKey);
  EXPECT_EQ(j.at("apiOwner"), "owner@example.com");
  EXPECT_EQ(j.at("room_key").as_string(), SessionCredentials::roomKey(app.appKey, "room"));
  EXPECT_FALSE(j.at("username").as_string().empty());
  EXPECT_FALSE(j.at("userCred").as_string().empty());
  EXPECT_EQ(j.at("timeStamp"), kNowIso);
  EXPECT_FALSE(j.at("roomCred").as_string().empty());
  EXPECT_EQ(j.at("start"), kNowIso);
  EXPECT_EQ(j.at("len"), 24);
  EXPECT_EQ(j.at("ipSigserver"), "aerie.test");
  EXPECT_EQ(j.at("httpPortList"), (boost::json::array{8080}));
  EXPECT_EQ(j.at("httpsPortList"), (boost::json::array{8443, 443}));
  EXPECT_EQ(j.at("ipSigserverPath"), "");
  // JSON encoded as strings: the client JSON.parse()s them.
  for (const char* k : {"pc_constraints", "offer_constraints", "media_constraints"}) {
    ASSERT_TRUE(j.at(k).is_string()) << k;
    EXPECT_TRUE(boost::json::parse(j.at(k).as_string()).is_object()) << k;
  }
  EXPECT_EQ(boost::json::parse(j.at("media_constraints").as_string()),
            boost::json::parse(R"({"audio":true,"video":true})"));
  EXPECT_EQ(j.at("isPrivileged"), false);
  EXPECT_EQ(j.at("autoIntroduce"), true);
  EXPECT_EQ(j.at("hasMCU"), false);
  EXPECT_EQ(j.at("hasPersistentMessage"), false);
  EXPECT_EQ(j.at("enable_stats_config"), false);
  EXPECT_EQ(header(r, "Access-Control-Allow-Origin"), "https://app.example");
  EXPECT_EQ(header(r, "Vary"), "Origin");
}

TEST_F(ApiServiceTest, EachCallIsANewUser) {
  const auto a = json(api.handle(get(path(app, "room")), kNow));
  const auto b = json(api.handle(get(path(app, "room")), kNow));
  EXPECT_NE(a.at("username"), b.at("username"));
  EXPECT_EQ(a.at("room_key"), b.at("room_key"));
}

TEST_F(ApiServiceTest, SignalingHostOverrideAndIpv6Host) {
  auto req = get(path(app, "room"));
  req.host = "[::1]:8443";
  req.origin = "http://localhost:3000";
  EXPECT_EQ(json(api.handle(req, kNow)).at("ipSigserver"), "[::1]");
  config.signalingHost = "sig.example";
  EXPECT_EQ(json(api.handle(req, kNow)).at("ipSigserver"), "sig.example");
}

// SkylinkJS 2.x takes ipSigserver as the whole host:port of its socket URL; 0.5-0.9 add a port
// from the port lists themselves and must keep the host alone.
TEST_F(ApiServiceTest, Skylink2GetsTheSignalingPortInIpSigserver) {
  auto req = get(path(app, "room"));
  req.skylinkSdkVersion = "0.9.3";  // 0.9.x sends this header alone
  EXPECT_EQ(json(api.handle(req, kNow)).at("ipSigserver"), "aerie.test");

  auto v2 = get(path(app, "room"));  // what 2.7.2 sends (api-helpers.js)
  v2.skylinkSdkVersion = "2.7.2";
  v2.skylinkApiVersion = "9.0.0";
  v2.serverSelect = "sig-v2";
  EXPECT_EQ(json(api.handle(v2, kNow)).at("ipSigserver"), "aerie.test:8443");
  v2.host = "[::1]:8080";
  EXPECT_EQ(json(api.handle(v2, kNow)).at("ipSigserver"), "[::1]:8080");
  v2.host = "aerie.test";  // default port: nothing to add
  EXPECT_EQ(json(api.handle(v2, kNow)).at("ipSigserver"), "aerie.test");

  auto onlySelect = get(path(app, "room"));
  onlySelect.serverSelect = "sig-v2";
  EXPECT_EQ(json(api.handle(onlySelect, kNow)).at("ipSigserver"), "aerie.test:8443");
  auto onlyVersion = get(path(app, "room"));
  onlyVersion.skylinkSdkVersion = "2.1.4";
  EXPECT_EQ(json(api.handle(onlyVersion, kNow)).at("ipSigserver"), "aerie.test:8443");

  // With --public-host, 2.x gets that host and the first port for its scheme.
  config.signalingHost = "sig.example";
  v2.host = "aerie.test:8443";
  EXPECT_EQ(json(api.handle(v2, kNow)).at("ipSigserver"), "sig.example:8443");
  v2.secure = false;
  EXPECT_EQ(json(api.handle(v2, kNow)).at("ipSigserver"), "sig.example:8080");
  EXPECT_EQ(json(api.handle(req, kNow)).at("ipSigserver"), "sig.example");
  config.signalingHost = "sig.example:9000";  // a port of its own is kept as given
  EXPECT_EQ(json(api.handle(v2, kNow)).at("ipSigserver"), "sig.example:9000");
}

TEST_F(ApiServiceTest, WrongOriginIs4003WithCorsHeaders) {
  const auto r = api.handle(get(path(app, "room"), "https://evil.example"), kNow);
  expectError(r, 403, 4003, "evil.example");
  // Without this header the page would see a network error instead of 4003.
  EXPECT_EQ(header(r, "Access-Control-Allow-Origin"), "https://evil.example");
  EXPECT_EQ(header(r, "Vary"), "Origin");
}

TEST_F(ApiServiceTest, NullOriginIsRefused) {
  expectError(api.handle(get(path(app, "room"), "null"), kNow), 403, 4003);
}

TEST_F(ApiServiceTest, SameOriginUsesRefererThenHost) {
  // No Origin, Referer of an allowed page.
  auto req = get(path(app, "room"), std::nullopt);
  req.referer = "https://app.example/meeting.html?x=1";
  EXPECT_EQ(api.handle(req, kNow).status, 200u);
  // No Origin, Referer of another page: 4002, and no CORS origin to echo.
  req.referer = "https://other.example/page";
  const auto r = api.handle(req, kNow);
  expectError(r, 403, 4002);
  EXPECT_FALSE(header(r, "Access-Control-Allow-Origin"));
  // A malformed Referer authorises nothing.
  req.referer = "garbage";
  expectError(api.handle(req, kNow), 403, 4002);
  // No Origin, no Referer: the Host the browser used.
  req.referer.reset();
  req.host = "localhost:8443";
  EXPECT_EQ(api.handle(req, kNow).status, 200u);
  req.host = "aerie.test:8443";
  expectError(api.handle(req, kNow), 403, 4002);
}

TEST_F(ApiServiceTest, UnknownRevokedAndExpiredKeysAre4001) {
  expectError(api.handle(get("/api/no-such-key/room"), kNow), 401, 4001);
  const App revoked = makeApp({"*"});
  store.revoke(revoked.appKey);
  expectError(api.handle(get(path(revoked, "room")), kNow), 401, 4001);
  NewApp n;
  n.domains = {"*"};
  n.expiresAtMs = kNow;
  const App temporary = store.create(n, 0);
  expectError(api.handle(get(path(temporary, "room")), kNow), 401, 4001);
  EXPECT_EQ(api.handle(get(path(temporary, "room")), kNow - 1).status, 200u);
}

TEST_F(ApiServiceTest, ErrorsCarryCorsHeaders) {
  const auto r = api.handle(get("/api/no-such-key/room"), kNow);
  EXPECT_EQ(header(r, "Access-Control-Allow-Origin"), "https://app.example");
  EXPECT_EQ(header(r, "Vary"), "Origin");
}

TEST_F(ApiServiceTest, AliasKeyResolvesToTheParentRealm) {
  const App alias = makeApp({"alias.example"}, app.appKey, "alias-owner");
  const auto r = api.handle(get(path(alias, "room"), "https://alias.example"), kNow);
  ASSERT_EQ(r.status, 200u) << r.body;
  const auto j = json(r);
  EXPECT_EQ(j.at("cid").as_string(), alias.appKey);
  EXPECT_EQ(j.at("apiOwner"), "alias-owner");
  const auto parent = json(api.handle(get(path(app, "room")), kNow));
  EXPECT_EQ(j.at("room_key"), parent.at("room_key"));
  // The alias's own domains apply, not its parent's.
  expectError(api.handle(get(path(alias, "room")), kNow), 403, 4003);
}

TEST_F(ApiServiceTest, HasMcuOnlyForAnSfuRealmAndItsAliases) {
  auto hasMcu = [&](const App& a, const char* origin = "https://app.example") {
    const auto r = api.handle(get(path(a, "room"), std::string(origin)), kNow);
    EXPECT_EQ(r.status, 200u) << r.body;
    return json(r).at("hasMCU");
  };
  EXPECT_EQ(hasMcu(app), false);  // mesh, the default
  store.update(app.appKey, AppUpdate{.mediaMode = MediaMode::Sfu});
  EXPECT_EQ(hasMcu(app), true);
  // An alias has its parent's mode, whatever its own row says.
  const App alias = makeApp({"alias.example"}, app.appKey);
  EXPECT_EQ(hasMcu(alias, "https://alias.example"), true);
  // `auto` does not switch yet.
  store.update(app.appKey, AppUpdate{.mediaMode = MediaMode::Auto});
  EXPECT_EQ(hasMcu(app), false);
  EXPECT_EQ(hasMcu(alias, "https://alias.example"), false);
  store.update(alias.appKey, AppUpdate{.mediaMode = MediaMode::Sfu});
  EXPECT_EQ(hasMcu(alias, "https://alias.example"), false);
}

TEST_F(ApiServiceTest, AliasWithDisabledParentIs4006) {
  const App parent = makeApp({"*"});
  const App alias = makeApp({"*"}, parent.appKey);
  store.revoke(parent.appKey);
  expectError(api.handle(get(path(alias, "room")), kNow), 401, 4006);
}

TEST_F(ApiServiceTest, TwoRealmsSameRoomNameDifferentRoomKeys) {
  const App other = makeApp({"app.example"});
  const auto a = json(api.handle(get(path(app, "room")), kNow));
  const auto b = json(api.handle(get(path(other, "room")), kNow));
  EXPECT_NE(a.at("room_key"), b.at("room_key"));
}

TEST_F(ApiServiceTest, RoomNameRules) {
  const std::pair<std::string, unsigned> cases[] = {
      {"room", 200},
      {"my%20room", 200},
      {"caf%C3%A9", 200},
      {"caf\xC3\xA9", 200},  // raw UTF-8 in the target
      {std::string(128, 'r'), 200},
      {"", 400},
      {std::string(129, 'r'), 400},
      {"a%2Fb", 400},
      {"a%3Fb", 400},
      {"a%23b", 400},
      {"a%00b", 400},
      {"a%0Ab", 400},
      {"a%FFb", 400},
      {"a%C0%AFb", 400},
      {"a%zz", 400},
      {"a/b", 400},  // an unencoded '/' adds a segment
  };
  for (const auto& [room, status] : cases) {
    const auto r = api.handle(get(path(app, room)), kNow);
    EXPECT_EQ(r.status, status) << room << " " << r.body;
    if (status == 400) {
      EXPECT_EQ(json(r).at("success"), false);
      EXPECT_EQ(header(r, "Access-Control-Allow-Origin"), "https://app.example");
    }
  }
  // Decoded once: the room is named "a%20b", not "a b".
  const auto once = json(api.handle(get(path(app, "a%2520b")), kNow));
  EXPECT_EQ(once.at("room_key").as_string(), SessionCredentials::roomKey(app.appKey, "a%20b"));
}

TEST_F(ApiServiceTest, CredentialsAccepted) {
  const std::string start = "2026-11-25T09:00:00.000Z";
  const auto r = api.handle(get(credPath(app, "room", start, "2")), kNow);
  ASSERT_EQ(r.status, 200u) << r.body;
  const auto j = json(r);
  EXPECT_EQ(j.at("start").as_string(), start);
  EXPECT_EQ(j.at("len"), 2);
  EXPECT_EQ(j.at("timeStamp"), kNowIso);
}

TEST_F(ApiServiceTest, CredentialsWithFractionalDurationAndSpacesInRoom) {
  const std::string start = "2026-11-25T09:59:00.000Z";
  const std::string room = "my room";
  const std::string target =
      path(app, "my%20room") + "/" + start + "/0.5?cred=" + cred(app, room, "0.5", start);
  const auto r = api.handle(get(target), kNow);
  ASSERT_EQ(r.status, 200u) << r.body;
  EXPECT_EQ(json(r).at("len"), 0.5);
}

TEST_F(ApiServiceTest, UnencodedCredIsAccepted) {
  const std::string start = "2026-11-25T09:00:00.000Z";
  const std::string raw = crypto::base64Encode(crypto::hmacSha1(app.secret, "room_2_" + start));
  const auto r = api.handle(get(path(app, "room") + "/" + start + "/2?cred=" + raw), kNow);
  EXPECT_EQ(r.status, 200u) << r.body;
}

TEST_F(ApiServiceTest, ForgedCredIs4005) {
  const std::string start = "2026-11-25T09:00:00.000Z";
  const App other = makeApp({"*"});
  // Signed with another key's secret.
  const std::string target =
      path(app, "room") + "/" + start + "/2?cred=" + cred(other, "room", "2", start);
  expectError(api.handle(get(target), kNow), 401, 4005);
  // Signed for another room, duration or start.
  expectError(
      api.handle(get(path(app, "room") + "/" + start + "/2?cred=" + cred(app, "room2", "2", start)),
                 kNow),
      401, 4005);
  expectError(
      api.handle(get(path(app, "room") + "/" + start + "/3?cred=" + cred(app, "room", "2", start)),
                 kNow),
      401, 4005);
}

TEST_F(ApiServiceTest, NotStartedAndExpiredCredsAre4004) {
  // Starts in 10 minutes, beyond the 5 minutes of tolerated skew.
  expectError(api.handle(get(credPath(app, "room", "2026-11-25T10:10:00.000Z", "1")), kNow), 401,
              4004, "not started");
  // Within the skew: fine.
  EXPECT_EQ(api.handle(get(credPath(app, "room", "2026-11-25T10:04:00.000Z", "1")), kNow).status,
            200u);
  // Started 2 hours ago for 1 hour.
  expectError(api.handle(get(credPath(app, "room", "2026-11-25T08:00:00.000Z", "1")), kNow), 401,
              4004, "expired");
}

TEST_F(ApiServiceTest, MalformedCredentialsAre4004) {
  const std::string start = "2026-11-25T09:00:00.000Z";
  expectError(api.handle(get(credPath(app, "room", "yesterday", "1")), kNow), 401, 4004);
  expectError(api.handle(get(credPath(app, "room", "2026-11-25T09:00:00", "1")), kNow), 401, 4004);
  for (const char* d : {"0", "-1", "abc", "8761", "1e9", "inf", "nan", "", " 1"}) {
    expectError(api.handle(get(credPath(app, "room", start, d)), kNow), 401, 4004);
  }
  expectError(api.handle(get(path(app, "room") + "/" + start + "/1"), kNow), 401, 4004, "cred");
}

TEST_F(ApiServiceTest, PreflightAllowsSkylinkHeaders) {
  auto req = get(path(app, "room"));
  req.method = "OPTIONS";
  req.accessControlRequestHeaders = "skylink_sdk_version,skylink_sdk_type";
  const auto r = api.handle(req, kNow);
  EXPECT_EQ(r.status, 204u);
  EXPECT_TRUE(r.body.empty());
  EXPECT_EQ(header(r, "Access-Control-Allow-Origin"), "https://app.example");
  EXPECT_EQ(header(r, "Access-Control-Allow-Methods"), "GET, POST, OPTIONS");
  EXPECT_EQ(header(r, "Access-Control-Allow-Headers"), "skylink_sdk_version,skylink_sdk_type");
  EXPECT_TRUE(header(r, "Access-Control-Max-Age"));
  EXPECT_EQ(header(r, "Vary"), "Origin");

  // Nothing requested, or only junk: a default list naming Skylink's headers.
  req.accessControlRequestHeaders = "\r\n";
  const auto d = api.handle(req, kNow);
  EXPECT_NE(header(d, "Access-Control-Allow-Headers")->find("Skylink_SDK_type"), std::string::npos);
}

TEST_F(ApiServiceTest, StatsPostsAreAcceptedAndCounted) {
  auto req = get("/rest/stats/client");
  req.method = "POST";
  req.body = R"({"client_id":"x"})";
  EXPECT_EQ(api.statsPosts(), 0u);
  const auto r = api.handle(req, kNow);
  EXPECT_EQ(r.status, 200u);
  EXPECT_EQ(r.body, R"({"success":true})");  // 2.x calls .json() on it
  EXPECT_EQ(header(r, "Access-Control-Allow-Origin"), "https://app.example");
  req.target = "/rest/stats/client/iceconnection";
  EXPECT_EQ(api.handle(req, kNow).status, 200u);
  EXPECT_EQ(api.statsPosts(), 2u);

  req.method = "OPTIONS";
  req.accessControlRequestHeaders = "content-type";
  EXPECT_EQ(api.handle(req, kNow).status, 204u);
  EXPECT_EQ(api.statsPosts(), 2u);
  req.method = "GET";
  EXPECT_EQ(api.handle(req, kNow).status, 404u);
}

TEST_F(ApiServiceTest, OtherPathsAre404InSkylinkShape) {
  expectError(api.handle(get("/api/" + app.appKey), kNow), 404, 404);
  expectError(api.handle(get("/api"), kNow), 404, 404);
  auto post = get(path(app, "room"));
  post.method = "POST";
  expectError(api.handle(post, kNow), 404, 404);
  EXPECT_EQ(header(api.handle(post, kNow), "Access-Control-Allow-Origin"), "https://app.example");
}

TEST_F(ApiServiceTest, Handles) {
  EXPECT_TRUE(ApiService::handles("/api/k/r?rand=1"));
  EXPECT_TRUE(ApiService::handles("/api"));
  EXPECT_TRUE(ApiService::handles("/rest/stats/client"));
  EXPECT_FALSE(ApiService::handles("/socket.io/?EIO=3"));
  EXPECT_FALSE(ApiService::handles("/apix"));
  EXPECT_FALSE(ApiService::handles("/"));
}

}  // namespace
}  // namespace aerie

namespace aerie {
namespace {

struct FakePlacer : RoomPlacer {
  PlacedRoom answer;
  std::string asked;
  PlacedRoom place(const std::string& roomKey) override {
    asked = roomKey;
    return answer;
  }
  void placeAsync(const std::string& roomKey, std::function<void(PlacedRoom)> done) override { done(place(roomKey)); }
};

// Cluster mode: the reply sends the client to the room's node, whatever node it asked.
TEST_F(ApiServiceTest, ClusterReplyNamesTheRoomsNode) {
  FakePlacer placer;
  placer.answer = {true, "10.0.0.7", 9443, ""};
  api.setPlacer(&placer);
  const auto j = json(api.handle(get(path(app, "room")), kNow));
  EXPECT_EQ(placer.asked, SessionCredentials::roomKey(app.appKey, "room"));
  EXPECT_EQ(j.at("ipSigserver"), "10.0.0.7");
  EXPECT_EQ(j.at("httpPortList"), boost::json::array({9443}));
  EXPECT_EQ(j.at("httpsPortList"), boost::json::array({9443}));
  auto v2 = get(path(app, "room"));
  v2.skylinkApiVersion = "2.0";
  EXPECT_EQ(json(api.handle(v2, kNow)).at("ipSigserver"), "10.0.0.7:9443");
}

TEST_F(ApiServiceTest, ClusterWithoutAPlaceIs503With5003) {
  FakePlacer placer;
  placer.answer = {false, "", 0, "the cluster registry is unreachable"};
  api.setPlacer(&placer);
  const auto r = api.handle(get(path(app, "room")), kNow);
  expectError(r, 503, 5003, "registry is unreachable");
  EXPECT_EQ(header(r, "Access-Control-Allow-Origin"), "https://app.example");
}

// Cluster mode: a placer that answers later, as the registry's thread does after Redis.
class LaterPlacer final : public RoomPlacer {
 public:
  PlacedRoom place(const std::string& roomKey) override {
    asked.push_back(roomKey);
    return answer;
  }
  void placeAsync(const std::string& roomKey, std::function<void(PlacedRoom)> done) override {
    asked.push_back(roomKey);
    pending.push_back(std::move(done));
  }
  PlacedRoom answer;
  std::vector<std::string> asked;
  std::vector<std::function<void(PlacedRoom)>> pending;
};

TEST_F(ApiServiceTest, AsyncPlacementAnswersWhenTheRegistryDoesAndNamesTheNode) {
  LaterPlacer placer;
  api.setPlacer(&placer);
  std::vector<HttpReply> replies;
  {
    HttpRequestView req = get(path(app, "room") + "?rand=1");
    api.handleAsync(req, kNow, [&](HttpReply r) { replies.push_back(std::move(r)); });
  }  // the request view is gone before the registry answers
  ASSERT_TRUE(replies.empty());
  ASSERT_EQ(placer.asked, std::vector<std::string>{SessionCredentials::roomKey(app.appKey, "room")});
  placer.pending.at(0)(PlacedRoom{true, "node-b.internal", 9001, {}});
  ASSERT_EQ(replies.size(), 1u);
  ASSERT_EQ(replies[0].status, 200u) << replies[0].body;
  const auto j = json(replies[0]);
  EXPECT_EQ(j.at("ipSigserver"), "node-b.internal");
  EXPECT_EQ(j.at("httpPortList"), (boost::json::array{9001}));
  EXPECT_EQ(j.at("httpsPortList"), (boost::json::array{9001}));
  EXPECT_FALSE(j.at("userCred").as_string().empty());
  EXPECT_EQ(header(replies[0], "Access-Control-Allow-Origin"), "https://app.example");
  // The fields keep the order of a single node's reply.
  std::vector<std::string> keys;
  for (const auto& kv : j) keys.emplace_back(kv.key());
  const auto single = json(ApiService(store, signer, config, limits).handle(get(path(app, "room")), kNow));
  std::vector<std::string> singleKeys;
  for (const auto& kv : single) singleKeys.emplace_back(kv.key());
  EXPECT_EQ(keys, singleKeys);
}

TEST_F(ApiServiceTest, AsyncPlacementRefusalIs5003AndBadRequestsNeverAskTheRegistry) {
  LaterPlacer placer;
  api.setPlacer(&placer);
  std::vector<HttpReply> replies;
  api.handleAsync(get(path(app, "room")), kNow, [&](HttpReply r) { replies.push_back(std::move(r)); });
  placer.pending.at(0)(PlacedRoom{false, {}, 0, "the cluster registry is unreachable"});
  ASSERT_EQ(replies.size(), 1u);
  expectError(replies[0], 503, 5003, "registry is unreachable");
  EXPECT_EQ(header(replies[0], "Access-Control-Allow-Origin"), "https://app.example");
  // Refused before placement: answered at once, the registry never asked.
  api.handleAsync(get("/api/nosuchkey/room"), kNow, [&](HttpReply r) { replies.push_back(std::move(r)); });
  ASSERT_EQ(replies.size(), 2u);
  expectError(replies[1], 401, 4001);
  EXPECT_EQ(placer.asked.size(), 1u);
  // Not a session request: as handle().
  HttpRequestView options = get(path(app, "room"));
  options.method = "OPTIONS";
  api.handleAsync(options, kNow, [&](HttpReply r) { replies.push_back(std::move(r)); });
  ASSERT_EQ(replies.size(), 3u);
  EXPECT_EQ(replies[2].status, 204u);
}

}  // namespace
}  // namespace aerie
