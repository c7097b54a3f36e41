// AdminApi as a pure handler: a real SqliteAppStore in a temporary directory, a real Hub with
// a fake JoinAuthorizer, and an unbound HubGateway (calls run inline).
#include <gtest/gtest.h>

#include <boost/json/parse.hpp>
#include <boost/json/serialize.hpp>
#include <boost/json/value_to.hpp>
#include <filesystem>

#include "admin/AdminApi.hpp"
#include "admin/AdminToken.hpp"
#include "core/Crypto.hpp"
#include "hub/Hub.hpp"
#include "api/SessionCredentials.hpp"
#include "storage/SqliteAppStore.hpp"
#include "transport/HubGateway.hpp"

namespace aerie {
namespace {

namespace fs = std::filesystem;
namespace json = boost::json;

constexpr std::int64_t kNow = 1795600800000;  // 2026-11-25T10:00:00.000Z

class Sink : public PeerSink {
 public:
  void send(std::shared_ptr<const std::string> packet) override { packets.push_back(*packet); }
  void close() override { ++closes; }
  bool got(std::string_view text) const {
    for (const auto& p : packets) {
      if (p.find(text) != std::string::npos) return true;
    }
    return false;
  }
  std::vector<std::string> packets;
  int closes = 0;
};

// Grants the room of realm `testRealm` and name `testRoom`, keyed the way the API server keys
// rooms, so the admin API finds it by name.
class RoomAuthorizer : public JoinAuthorizer {
 public:
  JoinGrant authorize(const json::object& join, std::int64_t) override {
    JoinGrant g;
    g.ok = true;
    g.realm = json::value_to<std::string>(join.at("testRealm"));
    g.roomName = json::value_to<std::string>(join.at("testRoom"));
    g.appKey = g.realm;
    g.roomKey = SessionCredentials::roomKey(g.realm, g.roomName);
    return g;
  }
};

class AdminApiTest : public ::testing::Test {
 protected:
  AdminApiTest()
      : dir_(fs::temp_directory_path() / ("aerie-admin-" + crypto::randomToken(8))),
        store_(SqliteAppStore::openInDir(dir_.string())),
        hub_(limits_, auth_),
        gateway_(hub_),
        api_(*store_, gateway_, limits_) {
    bool created = false;
    token_ = AdminToken::ensure(*store_, created);
  }
  ~AdminApiTest() override { fs::remove_all(dir_); }

  HttpReply call(std::string method, std::string target, std::string body = {},
                 std::optional<std::string> token = std::nullopt) {
    HttpRequestView r;
    r.method = std::move(method);
    r.target = std::move(target);
    r.host = "aerie.test:8443";
    r.authorization = "Bearer " + token.value_or(token_);
    r.body = std::move(body);
    return api_.handle(r, kNow);
  }
  static json::object body(const HttpReply& r) { return json::parse(r.body).as_object(); }
  static std::optional<std::string> header(const HttpReply& r, std::string_view name) {
    for (const auto& [k, v] : r.headers) {
      if (k == name) return v;
    }
    return std::nullopt;
  }
  static std::string str(const json::value& v) { return json::value_to<std::string>(v); }

  App makeApp(std::string name = "web", std::optional<std::string> parent = {}) {
    NewApp n;
    n.name = std::move(name);
    n.owner = "owner";
    n.domains = {"app.example"};
    n.parentKey = std::move(parent);
    return store_->create(n, kNow);
  }

  // A peer in room `room` of realm `realm`; returns its sid.
  std::string joinPeer(const std::string& realm, const std::string& room,
                       std::shared_ptr<Sink> sink = std::make_shared<Sink>()) {
    const auto id = hub_.connect(sink, kNow);
    json::object join{{"type", "joinRoom"}, {"rid", "x"},           {"userCred", "u"},
                      {"roomCred", "r"},    {"testRealm", realm}, {"testRoom", room}};
    hub_.onMessage(id, json::serialize(join), kNow);
    const std::string& inRoom = sink->packets.at(0);
    const auto at = inRoom.find("\\\"sid\\\":\\\"") + 10;
    return inRoom.substr(at, 36);
  }

  fs::path dir_;
  Limits limits_;
  std::unique_ptr<SqliteAppStore> store_;
  RoomAuthorizer auth_;
  Hub hub_;
  HubGateway gateway_;
  AdminApi api_;
  std::string token_;
};

// ---- authentication and errors ------------------------------------------------------------

TEST_F(AdminApiTest, HandlesOnlyTheAdminPrefix) {
  EXPECT_TRUE(AdminApi::handles("/admin"));
  EXPECT_TRUE(AdminApi::handles("/admin/v1/apps?x=1"));
  EXPECT_FALSE(AdminApi::handles("/administrator"));
  EXPECT_FALSE(AdminApi::handles("/api/admin"));
}

TEST_F(AdminApiTest, EveryEndpointNeedsTheToken) {
  const App app = makeApp();
  const std::string k = app.appKey;
  const std::vector<std::pair<std::string, std::string>> endpoints = {
      {"GET", "/admin/v1/apps"},
      {"POST", "/admin/v1/apps"},
      {"GET", "/admin/v1/apps/" + k},
      {"PATCH", "/admin/v1/apps/" + k},
      {"DELETE", "/admin/v1/apps/" + k},
      {"POST", "/admin/v1/apps/" + k + "/rotate-secret"},
      {"GET", "/admin/v1/apps/" + k + "/aliases"},
      {"POST", "/admin/v1/apps/" + k + "/aliases"},
      {"GET", "/admin/v1/apps/" + k + "/rooms"},
      {"POST", "/admin/v1/apps/" + k + "/rooms/lobby/lock"},
      {"DELETE", "/admin/v1/apps/" + k + "/peers/abc"},
      {"GET", "/admin/v1/apps/" + k + "/usage"},
      {"GET", "/admin/v1/no-such-thing"},  // 401 before 404: nothing is told without the token
      {"GET", "/admin"},
  };
  for (const auto& [method, target] : endpoints) {
    const std::vector<std::string> wrong = {"",       "Bearer", "Bearer ",
                                            "Bearer wrong", "Basic " + token_,
                                            "Bearer " + token_ + "x", token_};
    for (const std::string& auth : wrong) {
      HttpRequestView r;
      r.method = method;
      r.target = target;
      r.authorization = auth;
      r.origin = "https://evil.example";
      r.body = R"({"name":"x","domains":["a.example"]})";
      const HttpReply reply = api_.handle(r, kNow);
      EXPECT_EQ(reply.status, 401u) << method << " " << target << " with '" << auth << "'";
      EXPECT_EQ(str(body(reply).at("error")), "unauthorized");
      EXPECT_EQ(header(reply, "WWW-Authenticate"), "Bearer realm=\"aerie-admin\"");
      EXPECT_FALSE(header(reply, "Access-Control-Allow-Origin"));
    }
  }
  // Nothing changed.
  EXPECT_EQ(store_->list().size(), 1u);
  EXPECT_FALSE(store_->findByKey(k)->revoked);
}

TEST_F(AdminApiTest, TheSchemeIsCaseInsensitiveAndSpacesAreTolerated) {
  HttpRequestView r;
  r.method = "GET";
  r.target = "/admin/v1/apps";
  r.authorization = "bearer   " + token_ + " ";
  EXPECT_EQ(api_.handle(r, kNow).status, 200u);
}

TEST_F(AdminApiTest, ARotatedTokenLocksTheOldOneOut) {
  const std::string old = token_;
  const std::string fresh = AdminToken::rotate(*store_);
  EXPECT_NE(fresh, old);
  EXPECT_EQ(call("GET", "/admin/v1/apps", {}, old).status, 401u);
  EXPECT_EQ(call("GET", "/admin/v1/apps", {}, fresh).status, 200u);
}

TEST_F(AdminApiTest, NoTokenStoredAdmitsNobody) {
  store_->setSetting("admin_token", "");
  EXPECT_EQ(call("GET", "/admin/v1/apps", {}, "").status, 401u);
}

TEST_F(AdminApiTest, RepliesAreNeverCachedNorCorsEnabled) {
  HttpRequestView r;
  r.method = "GET";
  r.target = "/admin/v1/apps";
  r.authorization = "Bearer " + token_;
  r.origin = "https://evil.example";
  const HttpReply reply = api_.handle(r, kNow);
  EXPECT_EQ(reply.status, 200u);
  EXPECT_EQ(header(reply, "Cache-Control"), "no-store");
  EXPECT_FALSE(header(reply, "Access-Control-Allow-Origin"));
  // A preflight is not answered with CORS headers either.
  r.method = "OPTIONS";
  const HttpReply pre = api_.handle(r, kNow);
  EXPECT_EQ(pre.status, 405u);
  EXPECT_FALSE(header(pre, "Access-Control-Allow-Origin"));
}

TEST_F(AdminApiTest, UnknownPathsAndMethods) {
  EXPECT_EQ(call("GET", "/admin/v1/nothing").status, 404u);
  EXPECT_EQ(call("GET", "/admin/v2/apps").status, 404u);
  EXPECT_EQ(call("GET", "/admin/v1/apps/k/unknown").status, 404u);
  EXPECT_EQ(call("GET", "/admin/v1/apps/no-such-key").status, 404u);
  EXPECT_EQ(str(body(call("GET", "/admin/v1/apps/no-such-key")).at("error")), "not_found");
  const HttpReply put = call("PUT", "/admin/v1/apps");
  EXPECT_EQ(put.status, 405u);
  EXPECT_EQ(header(put, "Allow"), "GET, POST");
  EXPECT_EQ(str(body(put).at("error")), "method_not_allowed");
  EXPECT_EQ(call("GET", "/admin/v1/apps/%zz").status, 400u);
}

TEST_F(AdminApiTest, OpenApiDocumentIsPublicAndDescribesEveryRoute) {
  HttpRequestView r;
  r.method = "GET";
  r.target = "/admin/v1/openapi.json";
  const HttpReply reply = api_.handle(r, kNow);
  ASSERT_EQ(reply.status, 200u);
  EXPECT_EQ(reply.contentType, "application/json");
  const auto doc = body(reply);
  EXPECT_EQ(str(doc.at("openapi")).substr(0, 2), "3.");
  const auto& paths = doc.at("paths").as_object();
  for (const char* p : {"/apps", "/apps/{appKey}", "/apps/{appKey}/rotate-secret",
                        "/apps/{appKey}/aliases", "/apps/{appKey}/rooms",
                        "/apps/{appKey}/rooms/{room}/lock", "/apps/{appKey}/peers/{sid}",
                        "/apps/{appKey}/usage", "/openapi.json", "/recordings", "/recordings/{id}",
                        "/recordings/{id}/{file}"}) {
    EXPECT_TRUE(paths.contains(p)) << p;
  }
  const auto& schemas = doc.at("components").as_object().at("schemas").as_object();
  EXPECT_EQ(schemas.at("MediaMode").as_object().at("enum"),
            (boost::json::array{"mesh", "sfu", "auto"}));
  for (const char* s : {"App", "NewApp", "AppChange"}) {
    EXPECT_TRUE(schemas.at(s).as_object().at("properties").as_object().contains("mediaMode"))
        << s;
    EXPECT_TRUE(schemas.at(s).as_object().at("properties").as_object().contains("autoSfuPeers"))
        << s;
  }
  EXPECT_EQ(schemas.at("AutoSfuPeers").as_object().at("maximum").to_number<std::int64_t>(), 100);
  // Each documented path's methods are the ones the router allows.
  const std::vector<std::pair<std::string, std::string>> examples = {
      {"/apps", "/admin/v1/apps"},
      {"/apps/{appKey}", "/admin/v1/apps/k"},
      {"/apps/{appKey}/rotate-secret", "/admin/v1/apps/k/rotate-secret"},
      {"/apps/{appKey}/aliases", "/admin/v1/apps/k/aliases"},
      {"/apps/{appKey}/rooms", "/admin/v1/apps/k/rooms"},
      {"/apps/{appKey}/rooms/{room}/lock", "/admin/v1/apps/k/rooms/r/lock"},
      {"/apps/{appKey}/peers/{sid}", "/admin/v1/apps/k/peers/s"},
      {"/apps/{appKey}/usage", "/admin/v1/apps/k/usage"},
  };
  for (const auto& [doc_path, target] : examples) {
    const auto route = AdminRoute::parse(target);
    for (const auto& [method, op] : paths.at(doc_path).as_object()) {
      if (method == "parameters") continue;
      std::string upper(method);
      for (auto& c : upper) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
      EXPECT_TRUE(AdminRoute::allows(route.endpoint, upper)) << upper << " " << doc_path;
    }
  }
}

// ---- apps ---------------------------------------------------------------------------------

TEST_F(AdminApiTest, CreateReturnsTheSecretOnceAndListNever) {
  const HttpReply created = call(
      "POST", "/admin/v1/apps",
      R"({"name":"shop","domains":["shop.example","*.shop.example"],"maxPeersPerRoom":8,)"
      R"("turnEnabled":false,"persistentRooms":true,"expiresAt":"2030-01-01T00:00:00Z"})");
  ASSERT_EQ(created.status, 201u) << created.body;
  const auto app = body(created);
  const std::string key = str(app.at("appKey"));
  const std::string secret = str(app.at("secret"));
  EXPECT_EQ(str(app.at("name")), "shop");
  EXPECT_EQ(str(app.at("owner")), "shop");
  EXPECT_EQ(app.at("maxPeersPerRoom").as_int64(), 8);
  EXPECT_FALSE(app.at("turnEnabled").as_bool());
  EXPECT_TRUE(app.at("persistentRooms").as_bool());
  EXPECT_EQ(str(app.at("expiresAt")), "2030-01-01T00:00:00.000Z");
  EXPECT_TRUE(app.at("parentKey").is_null());

  const auto stored = store_->findByKey(key);
  ASSERT_TRUE(stored);
  EXPECT_EQ(stored->secret, secret);
  EXPECT_EQ(stored->domains, (std::vector<std::string>{"shop.example", "*.shop.example"}));

  const HttpReply list = call("GET", "/admin/v1/apps");
  ASSERT_EQ(list.status, 200u);
  EXPECT_EQ(list.body.find(secret), std::string::npos);
  EXPECT_EQ(list.body.find("\"secret\""), std::string::npos);
  EXPECT_EQ(body(list).at("apps").as_array().size(), 1u);
  const HttpReply one = call("GET", "/admin/v1/apps/" + key);
  ASSERT_EQ(one.status, 200u);
  EXPECT_EQ(one.body.find(secret), std::string::npos);
  EXPECT_EQ(str(body(one).at("appKey")), key);
}

TEST_F(AdminApiTest, CreateValidatesItsBody) {
  const std::vector<std::pair<std::string, std::string>> bad = {
      {"", "JSON object"},
      {"[]", "JSON object"},
      {"{", "JSON object"},
      {R"({"domains":["a.example"]})", "'name' is required"},
      {R"({"name":"x"})", "'domains' is required"},
      {R"({"name":"","domains":["a.example"]})", "'name'"},
      {R"({"name":5,"domains":["a.example"]})", "'name' must be a string"},
      {R"({"name":"x","domains":[]})", "'domains'"},
      {R"({"name":"x","domains":"a.example"})", "'domains'"},
      {R"({"name":"x","domains":[1]})", "'domains'"},
      {R"({"name":"x","domains":["https://a.example"]})", "without scheme"},
      {R"({"name":"x","domains":["a.example/path"]})", "invalid entry"},
      {R"({"name":"x","domains":["a b"]})", "invalid entry"},
      {R"({"name":"x","domains":["a*.example"]})", "wildcard"},
      {R"({"name":"x","domains":["a.example"],"maxPeersPerRoom":-1})", "'maxPeersPerRoom'"},
      {R"({"name":"x","domains":["a.example"],"maxPeersPerRoom":1.5})", "'maxPeersPerRoom'"},
      {R"({"name":"x","domains":["a.example"],"maxPeersPerRoom":100000})", "'maxPeersPerRoom'"},
      {R"({"name":"x","domains":["a.example"],"turnEnabled":"yes"})", "'turnEnabled'"},
      {R"({"name":"x","domains":["a.example"],"mediaMode":"mcu"})",
       R"(field 'mediaMode' must be "mesh", "sfu" or "auto")"},
      {R"({"name":"x","domains":["a.example"],"expiresAt":"tomorrow"})", "'expiresAt'"},
      {R"({"name":"x","domains":["a.example"],"expiresAt":"2030-01-01T00:00:00"})", "'expiresAt'"},
      {R"({"name":"x","domains":["a.example"],"secret":"mine"})", "unknown field 'secret'"},
      {R"({"name":"x","domains":["a.example"],"parentKey":"k"})", "unknown field"},
      {R"({"name":"x\n","domains":["a.example"]})", "control characters"},
  };
  for (const auto& [text, expected] : bad) {
    const HttpReply r = call("POST", "/admin/v1/apps", text);
    EXPECT_EQ(r.status, 400u) << text;
    const auto b = body(r);
    EXPECT_EQ(str(b.at("error")), "bad_request") << text;
    EXPECT_NE(str(b.at("message")).find(expected), std::string::npos)
        << text << " -> " << str(b.at("message"));
  }
  EXPECT_TRUE(store_->list().empty());
}

TEST_F(AdminApiTest, BodiesAreBoundedInSizeAndDepth) {
  std::string big = R"({"name":")" + std::string(limits_.maxHttpBodyBytes, 'x') + R"(","domains":["a.example"]})";
  const HttpReply r = call("POST", "/admin/v1/apps", big);
  EXPECT_EQ(r.status, 413u);
  EXPECT_EQ(str(body(r).at("error")), "payload_too_large");
  std::string deep(limits_.maxJsonDepth + 1, '[');
  deep += std::string(limits_.maxJsonDepth + 1, ']');
  EXPECT_EQ(call("POST", "/admin/v1/apps", R"({"name":"x","domains":)" + deep + "}").status, 400u);
  EXPECT_TRUE(store_->list().empty());
}

TEST_F(AdminApiTest, PatchChangesTheGivenFields) {
  const App app = makeApp();
  const HttpReply r = call("PATCH", "/admin/v1/apps/" + app.appKey,
                           R"({"domains":["new.example"],"turnEnabled":false,"expiresAt":null})");
  ASSERT_EQ(r.status, 200u) << r.body;
  const auto b = body(r);
  EXPECT_EQ(b.at("domains").as_array().size(), 1u);
  EXPECT_EQ(str(b.at("domains").as_array()[0]), "new.example");
  EXPECT_EQ(str(b.at("name")), "web");
  EXPECT_FALSE(b.contains("secret"));
  const auto stored = store_->findByKey(app.appKey);
  EXPECT_EQ(stored->domains, std::vector<std::string>{"new.example"});
  EXPECT_FALSE(stored->turnEnabled);

  EXPECT_EQ(call("PATCH", "/admin/v1/apps/" + app.appKey, "{}").status, 400u);
  EXPECT_EQ(call("PATCH", "/admin/v1/apps/" + app.appKey, R"({"owner":"x"})").status, 400u);
  EXPECT_EQ(call("PATCH", "/admin/v1/apps/nobody", R"({"name":"x"})").status, 404u);
}

TEST_F(AdminApiTest, MediaModeOnCreatePatchAndEveryAppJson) {
  const HttpReply created = call("POST", "/admin/v1/apps",
                                 R"({"name":"conf","domains":["c.example"],"mediaMode":"sfu"})");
  ASSERT_EQ(created.status, 201u) << created.body;
  const std::string key = str(body(created).at("appKey"));
  EXPECT_EQ(str(body(created).at("mediaMode")), "sfu");
  EXPECT_EQ(store_->findByKey(key)->mediaMode, MediaMode::Sfu);
  EXPECT_EQ(str(body(call("GET", "/admin/v1/apps/" + key)).at("mediaMode")), "sfu");
  EXPECT_EQ(str(body(call("GET", "/admin/v1/apps")).at("apps").as_array()[0].as_object().at(
                "mediaMode")),
            "sfu");
  EXPECT_EQ(str(body(call("GET", "/admin/v1/apps/" + makeApp().appKey)).at("mediaMode")), "mesh");

  HttpReply r = call("PATCH", "/admin/v1/apps/" + key, R"({"mediaMode":"auto"})");
  ASSERT_EQ(r.status, 200u) << r.body;
  EXPECT_EQ(str(body(r).at("mediaMode")), "auto");
  EXPECT_EQ(store_->findByKey(key)->mediaMode, MediaMode::Auto);

  r = call("PATCH", "/admin/v1/apps/" + key, R"({"mediaMode":"SFU"})");
  EXPECT_EQ(r.status, 400u);
  EXPECT_EQ(str(body(r).at("error")), "bad_request");
  EXPECT_EQ(str(body(r).at("message")), R"(field 'mediaMode' must be "mesh", "sfu" or "auto")");
  EXPECT_EQ(store_->findByKey(key)->mediaMode, MediaMode::Auto);
}

TEST_F(AdminApiTest, AutoSfuPeersOnCreatePatchAndEveryAppJson) {
  const HttpReply created = call(
      "POST", "/admin/v1/apps",
      R"({"name":"conf","domains":["c.example"],"mediaMode":"auto","autoSfuPeers":3})");
  ASSERT_EQ(created.status, 201u) << created.body;
  const std::string key = str(body(created).at("appKey"));
  EXPECT_EQ(body(created).at("autoSfuPeers").to_number<std::int64_t>(), 3);
  EXPECT_EQ(store_->findByKey(key)->autoSfuPeers, 3u);
  EXPECT_EQ(body(call("GET", "/admin/v1/apps/" + key)).at("autoSfuPeers").to_number<std::int64_t>(), 3);
  EXPECT_EQ(body(call("GET", "/admin/v1/apps/" + makeApp().appKey)).at("autoSfuPeers").to_number<std::int64_t>(), 0);

  HttpReply r = call("PATCH", "/admin/v1/apps/" + key, R"({"autoSfuPeers":6})");
  ASSERT_EQ(r.status, 200u) << r.body;
  EXPECT_EQ(body(r).at("autoSfuPeers").to_number<std::int64_t>(), 6);
  EXPECT_EQ(store_->findByKey(key)->autoSfuPeers, 6u);

  r = call("PATCH", "/admin/v1/apps/" + key, R"({"autoSfuPeers":101})");
  EXPECT_EQ(r.status, 400u);
  EXPECT_EQ(str(body(r).at("error")), "bad_request");
  EXPECT_EQ(str(body(r).at("message")),
            "field 'autoSfuPeers' must be an integer from 1 to 100, or 0 for the server default "
            "(auto-sfu-peers)");
  EXPECT_EQ(store_->findByKey(key)->autoSfuPeers, 6u);
}

TEST_F(AdminApiTest, RotateSecretShowsTheNewOneOnce) {
  const App app = makeApp();
  const HttpReply r = call("POST", "/admin/v1/apps/" + app.appKey + "/rotate-secret");
  ASSERT_EQ(r.status, 200u);
  const std::string secret = str(body(r).at("secret"));
  EXPECT_NE(secret, app.secret);
  EXPECT_EQ(store_->findByKey(app.appKey)->secret, secret);
  EXPECT_EQ(call("GET", "/admin/v1/apps/" + app.appKey).body.find(secret), std::string::npos);
}

TEST_F(AdminApiTest, DeleteRevokes) {
  const App app = makeApp();
  const HttpReply r = call("DELETE", "/admin/v1/apps/" + app.appKey);
  ASSERT_EQ(r.status, 200u);
  EXPECT_TRUE(body(r).at("revoked").as_bool());
  EXPECT_TRUE(store_->findByKey(app.appKey)->revoked);
  // Again: still revoked, still 200.
  EXPECT_EQ(call("DELETE", "/admin/v1/apps/" + app.appKey).status, 200u);
  EXPECT_EQ(call("DELETE", "/admin/v1/apps/nobody").status, 404u);
}

// ---- alias keys ---------------------------------------------------------------------------

TEST_F(AdminApiTest, AliasesAreCreatedOnAPrimaryKeyAndListed) {
  const App parent = makeApp();
  const HttpReply r = call("POST", "/admin/v1/apps/" + parent.appKey + "/aliases",
                           R"({"domains":["partner.example"],"expiresAt":"2030-06-01T00:00:00Z"})");
  ASSERT_EQ(r.status, 201u) << r.body;
  const auto alias = body(r);
  const std::string aliasKey = str(alias.at("appKey"));
  EXPECT_EQ(str(alias.at("parentKey")), parent.appKey);
  EXPECT_EQ(str(alias.at("owner")), "owner");
  EXPECT_EQ(str(alias.at("name")), "web (alias)");
  EXPECT_FALSE(str(alias.at("secret")).empty());
  EXPECT_EQ(store_->findByKey(aliasKey)->parentKey, parent.appKey);

  const HttpReply list = call("GET", "/admin/v1/apps/" + parent.appKey + "/aliases");
  ASSERT_EQ(list.status, 200u);
  const auto listed = body(list);
  const auto& aliases = listed.at("aliases").as_array();
  ASSERT_EQ(aliases.size(), 1u);
  EXPECT_EQ(str(aliases[0].at("appKey")), aliasKey);
  EXPECT_FALSE(aliases[0].as_object().contains("secret"));

  // No alias of an alias, none of a revoked key, and alias bodies are validated.
  EXPECT_EQ(call("POST", "/admin/v1/apps/" + aliasKey + "/aliases",
                 R"({"domains":["x.example"]})").status, 409u);
  EXPECT_EQ(call("POST", "/admin/v1/apps/" + parent.appKey + "/aliases", R"({})").status, 400u);
  EXPECT_EQ(call("POST", "/admin/v1/apps/" + parent.appKey + "/aliases",
                 R"({"domains":["x.example"],"maxPeersPerRoom":3})").status, 400u);
  store_->revoke(parent.appKey);
  EXPECT_EQ(call("POST", "/admin/v1/apps/" + parent.appKey + "/aliases",
                 R"({"domains":["x.example"]})").status, 409u);
  EXPECT_EQ(store_->listAliases(parent.appKey).size(), 1u);
}

// ---- live rooms and peers -----------------------------------------------------------------

TEST_F(AdminApiTest, RoomsListTheRealmOnly) {
  const App app = makeApp();
  const App alias = makeApp("alias", app.appKey);
  const App other = makeApp("other");
  const std::string s1 = joinPeer(app.appKey, "lobby");
  const std::string s2 = joinPeer(app.appKey, "lobby");
  joinPeer(other.appKey, "lobby");  // same name, other realm

  const HttpReply r = call("GET", "/admin/v1/apps/" + app.appKey + "/rooms");
  ASSERT_EQ(r.status, 200u) << r.body;
  const auto b = body(r);
  EXPECT_EQ(str(b.at("realm")), app.appKey);
  EXPECT_EQ(b.at("peerCount").as_int64(), 2);
  const auto& rooms = b.at("rooms").as_array();
  ASSERT_EQ(rooms.size(), 1u);
  EXPECT_EQ(str(rooms[0].at("name")), "lobby");
  EXPECT_EQ(str(rooms[0].at("roomKey")), SessionCredentials::roomKey(app.appKey, "lobby"));
  EXPECT_EQ(rooms[0].at("peerCount").as_int64(), 2);
  EXPECT_FALSE(rooms[0].at("locked").as_bool());
  const auto& peers = rooms[0].at("peers").as_array();
  ASSERT_EQ(peers.size(), 2u);
  EXPECT_EQ(str(peers[0]), s1);
  EXPECT_EQ(str(peers[1]), s2);

  // An alias key shows its parent's realm.
  const auto viaAlias = body(call("GET", "/admin/v1/apps/" + alias.appKey + "/rooms"));
  EXPECT_EQ(str(viaAlias.at("realm")), app.appKey);
  EXPECT_EQ(viaAlias.at("peerCount").as_int64(), 2);
}

TEST_F(AdminApiTest, LockARoomByName) {
  const App app = makeApp();
  auto sink = std::make_shared<Sink>();
  joinPeer(app.appKey, "team room", sink);
  const std::string path = "/admin/v1/apps/" + app.appKey + "/rooms/team%20room/lock";

  HttpReply r = call("POST", path, R"({"locked":true})");
  ASSERT_EQ(r.status, 200u) << r.body;
  EXPECT_TRUE(body(r).at("locked").as_bool());
  EXPECT_TRUE(hub_.rooms(app.appKey).at(0).locked);
  EXPECT_TRUE(sink->got("roomLockEvent"));

  r = call("POST", path, R"({"locked":false})");
  ASSERT_EQ(r.status, 200u);
  EXPECT_FALSE(hub_.rooms(app.appKey).at(0).locked);

  EXPECT_EQ(call("POST", path, R"({"locked":"yes"})").status, 400u);
  EXPECT_EQ(call("POST", path, R"({})").status, 400u);
  EXPECT_EQ(call("POST", path, R"({"locked":true,"x":1})").status, 400u);
  EXPECT_EQ(call("POST", "/admin/v1/apps/" + app.appKey + "/rooms/empty/lock",
                 R"({"locked":true})").status, 404u);
  // The same name in another realm is another room.
  const App other = makeApp("other");
  EXPECT_EQ(call("POST", "/admin/v1/apps/" + other.appKey + "/rooms/team%20room/lock",
                 R"({"locked":true})").status, 404u);
}

TEST_F(AdminApiTest, RemoveAPeerOfTheRealm) {
  const App app = makeApp();
  const App other = makeApp("other");
  auto sink = std::make_shared<Sink>();
  const std::string sid = joinPeer(app.appKey, "lobby", sink);
  const std::string stays = joinPeer(app.appKey, "lobby");

  // Not through another realm's key.
  EXPECT_EQ(call("DELETE", "/admin/v1/apps/" + other.appKey + "/peers/" + sid).status, 404u);
  EXPECT_EQ(sink->closes, 0);

  const HttpReply r = call("DELETE", "/admin/v1/apps/" + app.appKey + "/peers/" + sid);
  ASSERT_EQ(r.status, 200u) << r.body;
  EXPECT_EQ(str(body(r).at("removed")), sid);
  EXPECT_EQ(sink->closes, 1);
  EXPECT_TRUE(sink->got("redirect"));
  const auto rooms = hub_.rooms(app.appKey);
  ASSERT_EQ(rooms.size(), 1u);
  EXPECT_EQ(rooms[0].peers, std::vector<std::string>{stays});
  EXPECT_EQ(call("DELETE", "/admin/v1/apps/" + app.appKey + "/peers/" + sid).status, 404u);
}

// ---- usage --------------------------------------------------------------------------------

TEST_F(AdminApiTest, UsageOfAWindow) {
  const App app = makeApp();
  const std::int64_t minute = 60'000;
  store_->recordSession({app.appKey, app.appKey, "lobby", "s1", kNow - 90 * minute, kNow - 60 * minute});
  store_->recordSession({app.appKey, app.appKey, "lobby", "s2", kNow - 10 * minute, kNow - 9 * minute});

  HttpReply r = call("GET", "/admin/v1/apps/" + app.appKey + "/usage");
  ASSERT_EQ(r.status, 200u) << r.body;
  auto b = body(r);
  EXPECT_EQ(b.at("sessions").as_int64(), 2);
  EXPECT_EQ(b.at("peerMinutes").as_int64(), 31);
  EXPECT_EQ(b.at("peerSeconds").as_int64(), 31 * 60);
  EXPECT_EQ(str(b.at("to")), "2026-11-25T10:00:00.000Z");
  EXPECT_EQ(str(b.at("from")), "2026-10-26T10:00:00.000Z");
  EXPECT_EQ(str(b.at("rooms").as_array().at(0).at("room")), "lobby");

  r = call("GET", "/admin/v1/apps/" + app.appKey +
                      "/usage?from=2026-11-25T09:50:00Z&to=2026-11-25T09%3A50%3A30Z");
  ASSERT_EQ(r.status, 200u) << r.body;
  b = body(r);
  EXPECT_EQ(b.at("sessions").as_int64(), 1);
  EXPECT_DOUBLE_EQ(b.at("peerMinutes").as_double(), 0.5);

  EXPECT_EQ(call("GET", "/admin/v1/apps/" + app.appKey + "/usage?from=yesterday").status, 400u);
  EXPECT_EQ(call("GET", "/admin/v1/apps/" + app.appKey +
                            "/usage?from=2026-11-25T10:00:00Z&to=2026-11-25T09:00:00Z").status,
            400u);
}

}  // namespace
}  // namespace aerie
