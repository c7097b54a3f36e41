#include <gtest/gtest.h>

#include <boost/json/parse.hpp>
#include <boost/json/serialize.hpp>

#include "core/Crypto.hpp"
#include "core/IsoTime.hpp"
#include "api/ApiService.hpp"
#include "api/CredentialJoinAuthorizer.hpp"
#include "api/SessionCredentials.hpp"
#include "storage/SqliteAppStore.hpp"

namespace aerie {
namespace {

constexpr std::int64_t kNow = 1795600800000;  // 2026-11-25T10:00:00.000Z
constexpr std::int64_t kHour = 3600000;

class CredentialJoinAuthorizerTest : public ::testing::Test {
 protected:
  CredentialJoinAuthorizerTest() {
    config.iceHost = "turn.example";
    config.turnSecret = "turn-secret";
    app = makeApp();
  }

  App makeApp(std::optional<std::string> parent = {}, std::uint32_t maxPeers = 0) {
    NewApp n;
    n.name = "t";
    n.owner = "o";
    n.domains = {"*"};
    n.parentKey = std::move(parent);
    n.maxPeersPerRoom = maxPeers;
    return store.create(n, 0);
  }

  // The API reply for `target`, then the joinRoom SkylinkJS 0.6.37 builds from it, after a
  // JSON round trip as on the wire.
  boost::json::object joinFor(const std::string& target, std::int64_t nowMs = kNow) {
    HttpRequestView req;
    req.method = "GET";
    req.target = target;
    req.host = "aerie.test";
    req.origin = "https://page.example";
    const auto reply = api.handle(req, nowMs);
    EXPECT_EQ(reply.status, 200u) << reply.body;
    const auto info = boost::json::parse(reply.body).as_object();
    boost::json::object join;
    join["type"] = "joinRoom";
    join["uid"] = info.at("username");
    join["cid"] = info.at("cid");
    join["rid"] = info.at("room_key");
    join["userCred"] = info.at("userCred");
    join["timeStamp"] = info.at("timeStamp");
    join["apiOwner"] = info.at("apiOwner");
    join["roomCred"] = info.at("roomCred");
    join["start"] = info.at("start");
    join["len"] = info.at("len");
    join["isPrivileged"] = false;
    join["autoIntroduce"] = true;
    join["key"] = info.at("cid");
    return boost::json::parse(boost::json::serialize(join)).as_object();
  }

  boost::json::object join(const App& a, const std::string& room = "room") {
    return joinFor("/api/" + a.appKey + "/" + room);
  }

  SqliteAppStore store{":memory:"};
  TokenSigner signer{"server-secret"};
  ApiConfig config;
  Limits limits;
  ApiService api{store, signer, config, limits};
  CredentialJoinAuthorizer auth{store, signer, config, limits};
  App app;
};

TEST_F(CredentialJoinAuthorizerTest, GrantsWhatTheApiIssued) {
  const auto m = join(app, "my room");
  const auto g = auth.authorize(m, kNow + 1000);
  ASSERT_TRUE(g.ok) << g.reason << ": " << g.info;
  EXPECT_EQ(g.roomKey, m.at("rid").as_string());
  EXPECT_EQ(g.roomKey, SessionCredentials::roomKey(app.appKey, "my room"));
  EXPECT_EQ(g.realm, app.appKey);
  EXPECT_EQ(g.appKey, app.appKey);
  EXPECT_EQ(g.roomName, "my room");
  EXPECT_EQ(g.maxPeers, limits.defaultMaxPeersPerRoom);
  EXPECT_FALSE(g.privileged);
  ASSERT_EQ(g.iceServers.size(), 2u);
  EXPECT_EQ(g.iceServers[0].as_object().at("urls").as_array()[0],
            "turn:turn.example:3478?transport=udp");
}

TEST_F(CredentialJoinAuthorizerTest, AliasJoinsItsParentsRealm) {
  const App parent = makeApp({}, 5);
  const App alias = makeApp(parent.appKey, 50);
  const auto g = auth.authorize(join(alias), kNow);
  ASSERT_TRUE(g.ok) << g.info;
  EXPECT_EQ(g.realm, parent.appKey);
  EXPECT_EQ(g.appKey, alias.appKey);
  EXPECT_EQ(g.roomKey, auth.authorize(join(parent), kNow).roomKey);
  EXPECT_EQ(g.maxPeers, 5u);  // the realm's cap, not the alias's
}

TEST_F(CredentialJoinAuthorizerTest, SfuFollowsTheRealmsMediaMode) {
  const App alias = makeApp(app.appKey);
  EXPECT_FALSE(auth.authorize(join(app), kNow).sfu);  // mesh, the default
  store.update(app.appKey, AppUpdate{.mediaMode = MediaMode::Sfu});
  auto g = auth.authorize(join(app), kNow);
  ASSERT_TRUE(g.ok) << g.info;
  EXPECT_TRUE(g.sfu);
  g = auth.authorize(join(alias), kNow);
  ASSERT_TRUE(g.ok) << g.info;
  EXPECT_TRUE(g.sfu);  // the parent's mode
  store.update(app.appKey, AppUpdate{.mediaMode = MediaMode::Auto});
  EXPECT_FALSE(auth.authorize(join(app), kNow).sfu);
  // An alias's own row does not count.
  store.update(app.appKey, AppUpdate{.mediaMode = MediaMode::Mesh});
  store.update(alias.appKey, AppUpdate{.mediaMode = MediaMode::Sfu});
  EXPECT_FALSE(auth.authorize(join(alias), kNow).sfu);
}

TEST_F(CredentialJoinAuthorizerTest, ForgedFieldsAreCredentialErrors) {
  const auto good = join(app);
  for (const char* field : {"uid", "rid", "timeStamp", "start", "cid", "userCred", "roomCred"}) {
    auto m = good;
    if (std::string_view(field) == "cid") {
      m[field] = makeApp().appKey;  // another valid key
    } else if (std::string_view(field) == "start") {
      m[field] = "2026-11-25T09:59:00.000Z";
    } else {
      m[field] = std::string(m.at(field).as_string()) + "x";
    }
    const auto g = auth.authorize(m, kNow);
    EXPECT_FALSE(g.ok) << field;
    EXPECT_EQ(g.reason, "credentialError") << field;
  }
  auto longer = good;
  longer["len"] = 48;
  EXPECT_EQ(auth.authorize(longer, kNow).reason, "credentialError");
  // The room name carried in roomCred cannot be swapped.
  auto other = good;
  const std::string rc(good.at("roomCred").as_string());
  other["roomCred"] = crypto::base64UrlEncode("other") + rc.substr(rc.find('.'));
  EXPECT_EQ(auth.authorize(other, kNow).reason, "credentialError");
  // Tokens signed by another server.
  TokenSigner foreign("other-secret");
  ApiService foreignApi(store, foreign, config, limits);
  HttpRequestView req;
  req.method = "GET";
  req.target = "/api/" + app.appKey + "/room";
  req.host = "aerie.test";
  const auto info = boost::json::parse(foreignApi.handle(req, kNow).body).as_object();
  auto m = good;
  m["userCred"] = info.at("userCred");
  m["roomCred"] = info.at("roomCred");
  m["uid"] = info.at("username");
  EXPECT_EQ(auth.authorize(m, kNow).reason, "credentialError");
}

TEST_F(CredentialJoinAuthorizerTest, MissingOrMistypedFieldsAreCredentialErrors) {
  const auto good = join(app);
  for (const char* field :
       {"uid", "cid", "rid", "userCred", "timeStamp", "roomCred", "start", "len"}) {
    auto m = good;
    m.erase(field);
    EXPECT_EQ(auth.authorize(m, kNow).reason, "credentialError") << field;
    m[field] = field == std::string_view("len") ? boost::json::value("24") : boost::json::value(7);
    EXPECT_EQ(auth.authorize(m, kNow).reason, "credentialError") << field;
  }
  EXPECT_EQ(auth.authorize(boost::json::object{}, kNow).reason, "credentialError");
  auto bad = good;
  bad["roomCred"] = "no-dot";
  EXPECT_EQ(auth.authorize(bad, kNow).reason, "credentialError");
}

TEST_F(CredentialJoinAuthorizerTest, RevokedKeyOrParentIsKeyFailed) {
  const auto m = join(app);
  store.revoke(app.appKey);
  const auto g = auth.authorize(m, kNow);
  EXPECT_FALSE(g.ok);
  EXPECT_EQ(g.reason, "keyFailed");

  const App parent = makeApp();
  const App alias = makeApp(parent.appKey);
  const auto a = join(alias);
  store.revoke(parent.appKey);
  EXPECT_EQ(auth.authorize(a, kNow).reason, "keyFailed");
}

TEST_F(CredentialJoinAuthorizerTest, ExpiredAfterStartPlusLen) {
  const auto m = join(app);  // start = now, len = 24 h
  EXPECT_TRUE(auth.authorize(m, kNow + 24 * kHour).ok);
  const auto g = auth.authorize(m, kNow + 24 * kHour + 1);
  EXPECT_FALSE(g.ok);
  EXPECT_EQ(g.reason, "expired");
}

TEST_F(CredentialJoinAuthorizerTest, NotStartBeforeStartMinusSkew) {
  // Tokens for a session starting in 10 minutes, beyond the 5 minutes of skew (the API
  // would not issue them now, but they may be joined early from a page opened later).
  SessionCredentials::Session s;
  s.username = "u";
  s.roomKey = SessionCredentials::roomKey(app.appKey, "room");
  s.timeStamp = IsoTime::format(kNow);
  s.start = IsoTime::format(kNow + 10 * 60000);
  s.lenHours = 1;
  s.appKey = app.appKey;
  s.realm = app.appKey;
  s.roomName = "room";
  const SessionCredentials creds(signer);
  boost::json::object m{{"uid", s.username},        {"cid", s.appKey},
                        {"rid", s.roomKey},         {"userCred", creds.userCred(s)},
                        {"timeStamp", s.timeStamp}, {"roomCred", creds.roomCred(s)},
                        {"start", s.start},         {"len", 1}};
  const auto g = auth.authorize(m, kNow);
  EXPECT_FALSE(g.ok);
  EXPECT_EQ(g.reason, "notStart");
  EXPECT_TRUE(auth.authorize(m, kNow + 5 * 60000).ok);
}

TEST_F(CredentialJoinAuthorizerTest, FractionalLenSurvivesTheRoundTrip) {
  const std::string start = "2026-11-25T09:59:00.000Z";
  const std::string cred =
      crypto::base64Encode(crypto::hmacSha1(app.secret, std::string("room_0.5_") + start));
  std::string enc;
  for (char c : cred) enc += c == '+' ? std::string("%2B") : std::string(1, c);
  const auto m = joinFor("/api/" + app.appKey + "/room/" + start + "/0.5?cred=" + enc);
  EXPECT_EQ(m.at("len"), 0.5);
  EXPECT_TRUE(auth.authorize(m, kNow).ok);
  EXPECT_EQ(auth.authorize(m, kNow + kHour).reason, "expired");
}

}  // namespace
}  // namespace aerie
