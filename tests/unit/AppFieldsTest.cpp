#include <gtest/gtest.h>

#include <boost/json/parse.hpp>

#include "admin/AppFields.hpp"

namespace aerie {
namespace {

boost::json::object obj(std::string_view text) {
  return boost::json::parse(text).as_object();
}

TEST(AppFieldsTest, DomainPatterns) {
  for (const char* ok : {"example.com", "*.example.com", "*", "localhost", "127.0.0.1", "::1",
                         "example.com:8443", "xn--bcher-kva.example", "b\xC3\xBC" "cher.example"}) {
    EXPECT_FALSE(AppFields::domainProblem(ok)) << ok;
  }
  for (const char* bad : {"", "https://example.com", "example.com/", "exa mple.com", "a\tb",
                          "user@example.com", "a?b", "a#b", "a,b", "*example.com", "a.*.com",
                          "*.", "**.example.com", "*.a.*"}) {
    EXPECT_TRUE(AppFields::domainProblem(bad)) << bad;
  }
  EXPECT_TRUE(AppFields::domainProblem(std::string(254, 'a')));
  EXPECT_FALSE(AppFields::domainProblem(std::string(253, 'a')));
}

TEST(AppFieldsTest, CreateDefaultsOwnerToNameAndKeepsTheFlags) {
  auto c = AppFields::forCreate(obj(R"({"name":"n","domains":["a.example"]})"));
  ASSERT_TRUE(c.value) << c.problem;
  EXPECT_EQ(c.value->owner, "n");
  EXPECT_TRUE(c.value->turnEnabled);
  EXPECT_FALSE(c.value->persistentRooms);
  EXPECT_FALSE(c.value->expiresAtMs);
  EXPECT_EQ(c.value->maxPeersPerRoom, 0u);

  c = AppFields::forCreate(obj(R"({"name":"n","owner":"o","domains":["a.example"],)"
                               R"("maxPeersPerRoom":10000,"expiresAt":"1970-01-01T00:00:01Z"})"));
  ASSERT_TRUE(c.value) << c.problem;
  EXPECT_EQ(c.value->owner, "o");
  EXPECT_EQ(c.value->maxPeersPerRoom, 10000u);
  EXPECT_EQ(c.value->expiresAtMs, 1000);
}

TEST(AppFieldsTest, AutoSfuPeers) {
  auto c = AppFields::forCreate(obj(R"({"name":"n","domains":["a.example"]})"));
  ASSERT_TRUE(c.value) << c.problem;
  EXPECT_EQ(c.value->autoSfuPeers, 0u) << "the server's default";
  c = AppFields::forCreate(obj(R"({"name":"n","domains":["a.example"],"autoSfuPeers":3})"));
  ASSERT_TRUE(c.value) << c.problem;
  EXPECT_EQ(c.value->autoSfuPeers, 3u);
  auto u = AppFields::forUpdate(obj(R"({"autoSfuPeers":100})"));
  ASSERT_TRUE(u.value) << u.problem;
  EXPECT_EQ(u.value->autoSfuPeers, 100u);
  u = AppFields::forUpdate(obj(R"({"autoSfuPeers":0})"));
  ASSERT_TRUE(u.value) << u.problem;
  EXPECT_EQ(u.value->autoSfuPeers, 0u);
  u = AppFields::forUpdate(obj(R"({"name":"x"})"));
  ASSERT_TRUE(u.value) << u.problem;
  EXPECT_FALSE(u.value->autoSfuPeers);
  for (const char* bad : {"-1", "101", "2.5", R"("3")", "true", "null", "[3]", "18446744073709551615"}) {
    u = AppFields::forUpdate(obj(std::string(R"({"autoSfuPeers":)") + bad + "}"));
    EXPECT_FALSE(u.value) << bad;
    EXPECT_EQ(u.problem, "field 'autoSfuPeers' must be an integer from 1 to 100, or 0 for the server default (auto-sfu-peers)") << bad;
    c = AppFields::forCreate(
        obj(std::string(R"({"name":"n","domains":["a.example"],"autoSfuPeers":)") + bad + "}"));
    EXPECT_FALSE(c.value) << bad;
  }
  // A realm setting: not an alias key's own.
  App parent;
  parent.appKey = "p";
  parent.name = "P";
  parent.owner = "po";
  EXPECT_FALSE(AppFields::forAlias(obj(R"({"domains":["x.example"],"autoSfuPeers":3})"), parent).value);
}

TEST(AppFieldsTest, MediaMode) {
  auto c = AppFields::forCreate(obj(R"({"name":"n","domains":["a.example"]})"));
  ASSERT_TRUE(c.value) << c.problem;
  EXPECT_EQ(c.value->mediaMode, MediaMode::Mesh);
  c = AppFields::forCreate(obj(R"({"name":"n","domains":["a.example"],"mediaMode":"sfu"})"));
  ASSERT_TRUE(c.value) << c.problem;
  EXPECT_EQ(c.value->mediaMode, MediaMode::Sfu);

  auto u = AppFields::forUpdate(obj(R"({"mediaMode":"auto"})"));
  ASSERT_TRUE(u.value) << u.problem;
  EXPECT_EQ(u.value->mediaMode, MediaMode::Auto);
  EXPECT_FALSE(u.value->name);
  u = AppFields::forUpdate(obj(R"({"name":"x"})"));
  ASSERT_TRUE(u.value) << u.problem;
  EXPECT_FALSE(u.value->mediaMode);

  for (const char* bad : {R"("SFU")", R"("mcu")", R"("")", "1", "true", "null", R"(["sfu"])"}) {
    u = AppFields::forUpdate(obj(std::string(R"({"mediaMode":)") + bad + "}"));
    EXPECT_FALSE(u.value) << bad;
    EXPECT_EQ(u.problem, R"(field 'mediaMode' must be "mesh", "sfu" or "auto")") << bad;
    c = AppFields::forCreate(
        obj(std::string(R"({"name":"n","domains":["a.example"],"mediaMode":)") + bad + "}"));
    EXPECT_FALSE(c.value) << bad;
  }
  // An alias has its parent's mode: the field is not one of its own.
  App parent;
  parent.appKey = "p";
  parent.name = "P";
  parent.owner = "po";
  const auto a = AppFields::forAlias(obj(R"({"domains":["x.example"],"mediaMode":"sfu"})"), parent);
  EXPECT_FALSE(a.value);
  EXPECT_EQ(a.problem, "unknown field 'mediaMode'");
}

TEST(AppFieldsTest, TextBounds) {
  const std::string name128(128, 'n');
  EXPECT_TRUE(AppFields::forCreate(obj(R"({"name":")" + name128 + R"(","domains":["a.b"]})")).value);
  EXPECT_FALSE(
      AppFields::forCreate(obj(R"({"name":")" + name128 + R"(n","domains":["a.b"]})")).value);
  // UTF-8 is fine, controls are not.
  EXPECT_TRUE(AppFields::forCreate(obj(R"({"name":"caf\u00e9","domains":["a.b"]})")).value);
  EXPECT_FALSE(AppFields::forCreate(obj(R"({"name":"a\u007fb","domains":["a.b"]})")).value);
}

TEST(AppFieldsTest, DomainCount) {
  std::string many = R"({"name":"n","domains":[)";
  for (int i = 0; i < 101; ++i) many += (i ? "," : "") + std::string("\"d") + std::to_string(i) + ".example\"";
  EXPECT_FALSE(AppFields::forCreate(obj(many + "]}")).value);
}

TEST(AppFieldsTest, AliasTakesOwnerFromTheParent) {
  App parent;
  parent.appKey = "p";
  parent.name = "Parent";
  parent.owner = "po";
  auto a = AppFields::forAlias(obj(R"({"domains":["x.example"]})"), parent);
  ASSERT_TRUE(a.value) << a.problem;
  EXPECT_EQ(a.value->parentKey, "p");
  EXPECT_EQ(a.value->owner, "po");
  EXPECT_EQ(a.value->name, "Parent (alias)");
  EXPECT_FALSE(AppFields::forAlias(obj(R"({"domains":["x.example"],"owner":"o"})"), parent).value);
  EXPECT_FALSE(AppFields::forAlias(obj(R"({"name":"n"})"), parent).value);
  // A long parent name still gives a valid alias name.
  parent.name = std::string(128, 'p');
  a = AppFields::forAlias(obj(R"({"domains":["x.example"]})"), parent);
  ASSERT_TRUE(a.value);
  EXPECT_EQ(a.value->name.size(), 128u);
}

TEST(AppFieldsTest, UpdateSetsOnlyWhatIsGiven) {
  auto u = AppFields::forUpdate(obj(R"({"expiresAt":null})"));
  ASSERT_TRUE(u.value) << u.problem;
  ASSERT_TRUE(u.value->expiresAtMs);
  EXPECT_FALSE(*u.value->expiresAtMs);
  EXPECT_FALSE(u.value->name);
  EXPECT_FALSE(u.value->domains);

  u = AppFields::forUpdate(obj(R"({"persistentRooms":true,"maxPeersPerRoom":0})"));
  ASSERT_TRUE(u.value) << u.problem;
  EXPECT_EQ(u.value->persistentRooms, true);
  EXPECT_EQ(u.value->maxPeersPerRoom, 0u);

  EXPECT_FALSE(AppFields::forUpdate(obj("{}")).value);
  EXPECT_FALSE(AppFields::forUpdate(obj(R"({"domains":[]})")).value);
  EXPECT_FALSE(AppFields::forUpdate(obj(R"({"appKey":"x"})")).value);
}

}  // namespace
}  // namespace aerie
