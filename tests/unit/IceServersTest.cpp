#include <gtest/gtest.h>

#include "core/Crypto.hpp"
#include "api/IceServers.hpp"

namespace aerie {
namespace {

TEST(IceServersTest, TurnEntryShapedForSkylink06AndNewerClients) {
  ApiConfig c;
  c.iceHost = "turn.example";
  c.turnPort = 3478;
  c.turnSecret = "turnsecret";
  c.turnTtlSeconds = 86400;
  const auto a = IceServers::build(c, 1764103600123, true);
  ASSERT_EQ(a.size(), 2u);

  const auto& turn = a[0].as_object();
  // username = expiry in unix seconds: 1764103600 + 86400.
  EXPECT_EQ(turn.at("username"), "1764190000");
  EXPECT_EQ(turn.at("url"), "turn:1764190000@turn.example:3478?transport=udp");
  // base64(HMAC-SHA1("turnsecret", "1764190000")), from Python's hmac module.
  EXPECT_EQ(turn.at("credential"), "enC/B6qvW7DoBmd2luNKh0q/rlA=");
  const auto& urls = turn.at("urls").as_array();
  ASSERT_EQ(urls.size(), 2u);
  EXPECT_EQ(urls[0], "turn:turn.example:3478?transport=udp");
  EXPECT_EQ(urls[1], "turn:turn.example:3478?transport=tcp");
  // 0.6.x splits USER@HOST: the user must not contain ':'.
  EXPECT_EQ(turn.at("username").as_string().find(':'), boost::json::string::npos);

  const auto& stun = a[1].as_object();
  EXPECT_EQ(stun.at("url"), "stun:turn.example:3478");
  EXPECT_EQ(stun.at("urls"), "stun:turn.example:3478");
}

TEST(IceServersTest, UrlsUseTheConfiguredTurnPortButUrlKeeps3478) {
  ApiConfig c;
  c.turnPort = 5349;
  c.turnSecret = "s";
  const auto a = IceServers::build(c, 0);
  const auto& turn = a[0].as_object();
  EXPECT_EQ(turn.at("urls").as_array()[0], "turn:127.0.0.1:5349?transport=udp");
  EXPECT_EQ(turn.at("url"), "turn:86400@127.0.0.1:3478?transport=udp");
}

TEST(IceServersTest, WithoutSecretTheEntryStaysWithAnUnusableCredential) {
  ApiConfig c;
  const auto a = IceServers::build(c, 0);
  ASSERT_EQ(a.size(), 2u);
  const auto& turn = a[0].as_object();
  EXPECT_TRUE(turn.contains("url"));
  EXPECT_FALSE(turn.at("credential").as_string().empty());

  c.turnSecret = "s";
  const auto disabled = IceServers::build(c, 0, false);
  EXPECT_NE(disabled[0].as_object().at("credential").as_string(),
            crypto::base64Encode(crypto::hmacSha1("s", "86400")));
}

TEST(IceServersTest, CredentialNeverOutlivesTheRoomSession) {
  ApiConfig c;
  c.turnSecret = "s";
  c.turnTtlSeconds = 86400;
  // The room session ends 600 s from now: the TURN username expires then, not in a day.
  const auto a = IceServers::build(c, 1'000'000, true, 1'000'000 + 600'000);
  EXPECT_EQ(a[0].as_object().at("username"), "1600");
  EXPECT_EQ(std::string(a[0].as_object().at("credential").as_string()),
            crypto::base64Encode(crypto::hmacSha1("s", "1600")));
}

TEST(IceServersTest, TurnsOfferedOnlyWhenConfigured) {
  ApiConfig c;
  EXPECT_EQ(IceServers::build(c, 0)[0].as_object().at("urls").as_array().size(), 2u);
  c.turnTlsPort = 5349;
  const auto urls = IceServers::build(c, 0)[0].as_object().at("urls").as_array();
  ASSERT_EQ(urls.size(), 3u);
  EXPECT_EQ(urls[2], "turns:127.0.0.1:5349?transport=tcp");
}

TEST(IceServersTest, Ipv6HostIsBracketed) {
  ApiConfig c;
  c.iceHost = "2001:db8::1";
  const auto a = IceServers::build(c, 0);
  EXPECT_EQ(a[1].as_object().at("urls"), "stun:[2001:db8::1]:3478");
}

}  // namespace
}  // namespace aerie
