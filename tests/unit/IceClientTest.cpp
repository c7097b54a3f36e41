// aerie-bot's controlling ICE agent against aerie's own ICE-lite responder: the bot's request
// passes every check of IceLiteAgent, nominates, and the response it gets back connects it.
#include <gtest/gtest.h>

#include <array>

#include "IceClient.hpp"
#include "codec/StunMessage.hpp"
#include "core/Limits.hpp"
#include "media/IceLiteAgent.hpp"

namespace aerie::bot {
namespace {

using Clock = std::chrono::steady_clock;

std::string_view text(std::span<const std::uint8_t> bytes) {
  return {reinterpret_cast<const char*>(bytes.data()), bytes.size()};
}

TEST(IceClientTest, ConnectsToAeriesIceLiteAgent) {
  const Limits limits;
  const auto t0 = Clock::now();
  const IceCredentials server = IceCredentials::random();
  const IceCredentials client = IceCredentials::random();
  IceLiteAgent agent(server, limits, t0);
  agent.setRemoteUfrag(client.ufrag);
  IceClient ice(client, server.ufrag, server.password);
  EXPECT_EQ(ice.state(), IceClient::State::New);
  ASSERT_TRUE(ice.due(t0));

  std::array<std::uint8_t, IceClient::kMaxRequestBytes> req{};
  const auto request = ice.request(req, t0);
  ASSERT_FALSE(request.empty());
  EXPECT_EQ(ice.state(), IceClient::State::Checking);
  const auto parsed = stun::StunCodec::parse(text(request));
  ASSERT_TRUE(parsed);
  ASSERT_NE(parsed->find(stun::UseCandidate), nullptr);
  ASSERT_NE(parsed->find(stun::IceControlling), nullptr);
  EXPECT_EQ(parsed->find(stun::IceControlling)->value.size(), 8u);

  stun::Address from;
  from.bytes = {127, 0, 0, 1};
  from.port = 40000;
  std::array<std::uint8_t, IceLiteAgent::kMaxResponseBytes> res{};
  const auto result = agent.handleRequest(*parsed, from, t0, res);
  ASSERT_EQ(result.verdict, IceLiteAgent::Verdict::Respond);
  EXPECT_EQ(agent.state(), IceLiteAgent::State::Connected);  // USE-CANDIDATE nominated us

  const auto response = stun::StunCodec::parse(text(result.response));
  ASSERT_TRUE(response);
  EXPECT_TRUE(ice.handle(*response, t0));
  EXPECT_EQ(ice.state(), IceClient::State::Connected);
  // Consent: nothing due until the interval has passed.
  EXPECT_FALSE(ice.due(t0 + std::chrono::seconds(1)));
  EXPECT_TRUE(ice.due(t0 + IceClient::kConsentInterval));
}

TEST(IceClientTest, IgnoresResponsesThatAreNotTheAnswerToItsRequest) {
  const auto t0 = Clock::now();
  const IceCredentials server = IceCredentials::random();
  const IceCredentials client = IceCredentials::random();
  IceClient ice(client, server.ufrag, server.password);
  std::array<std::uint8_t, IceClient::kMaxRequestBytes> req{};
  const auto request = ice.request(req, t0);
  const auto parsed = stun::StunCodec::parse(text(request));
  ASSERT_TRUE(parsed);
  // An agent with another password signs a response that does not verify.
  const Limits limits;
  IceLiteAgent impostor(IceCredentials{server.ufrag, "another-password-of-24ch"}, limits, t0);
  std::array<std::uint8_t, IceLiteAgent::kMaxResponseBytes> res{};
  EXPECT_EQ(impostor.handleRequest(*parsed, stun::Address{}, t0, res).verdict, IceLiteAgent::Verdict::BadIntegrity);
  // A request of ours fed back is not a response.
  EXPECT_FALSE(ice.handle(*parsed, t0));
  EXPECT_EQ(ice.state(), IceClient::State::Checking);
  // Retries every check interval, then gives up.
  EXPECT_FALSE(ice.due(t0 + std::chrono::milliseconds(10)));
  EXPECT_TRUE(ice.due(t0 + IceClient::kCheckInterval));
  ice.tick(t0 + IceClient::kGiveUpAfter + std::chrono::milliseconds(1));
  EXPECT_EQ(ice.state(), IceClient::State::Failed);
  EXPECT_FALSE(ice.due(t0 + IceClient::kGiveUpAfter * 2));
}

}  // namespace
}  // namespace aerie::bot
