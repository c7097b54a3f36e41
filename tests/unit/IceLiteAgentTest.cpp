// IceLiteAgent answers the RFC 5769 sample request and requests built here; refuses wrong
// credentials; follows USE-CANDIDATE; closes when consent expires (RFC 7675).
#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "codec/StunWriter.hpp"
#include "media/IceLiteAgent.hpp"

namespace aerie {
namespace {

using namespace std::chrono_literals;
using stun::Address;
using stun::StunCodec;
using stun::StunWriter;
using State = IceLiteAgent::State;
using Verdict = IceLiteAgent::Verdict;

std::string hex(const char* text) {
  std::string out;
  int nibble = -1;
  for (const char* p = text; *p; ++p) {
    int v = (*p >= '0' && *p <= '9') ? *p - '0' : (*p >= 'a' && *p <= 'f') ? *p - 'a' + 10 : -1;
    if (v < 0) continue;
    if (nibble < 0)
      nibble = v;
    else {
      out += static_cast<char>(nibble * 16 + v);
      nibble = -1;
    }
  }
  return out;
}

std::string text(std::span<const std::uint8_t> b) {
  return {reinterpret_cast<const char*>(b.data()), b.size()};
}

// RFC 5769 section 2.1: USERNAME "evtj:h6vY", so "evtj" is the responder's ufrag.
const std::string kRequest =
    hex("00 01 00 58 21 12 a4 42 b7 e7 a7 01 bc 34 d6 86 fa 87 df ae"
        "80 22 00 10 53 54 55 4e 20 74 65 73 74 20 63 6c 69 65 6e 74"
        "00 24 00 04 6e 00 01 ff 80 29 00 08 93 2f f9 b1 51 26 3b 36"
        "00 06 00 09 65 76 74 6a 3a 68 36 76 59 20 20 20"
        "00 08 00 14 9a ea a7 0c bf d8 cb 56 78 1e f2 b5 b2 d3 f2 49 c1 b5 71 a2"
        "80 28 00 04 e5 7a 3b cf");
const IceCredentials kVectorCredentials{"evtj", "VOkJxbRl1RmTxUk/WvJxBt"};

Address v4(std::uint8_t last, std::uint16_t port) {
  Address a;
  a.bytes = {192, 0, 2, last};
  a.port = port;
  return a;
}

struct Recorder : IceLiteAgent::Listener {
  std::vector<State> states;
  std::vector<Address> nominations;
  void onIceStateChanged(State s) override { states.push_back(s); }
  void onIceNominated(const Address& a) override { nominations.push_back(a); }
};

// A connectivity check as Chromium sends it (RFC 8445 section 7.1.1).
struct Check {
  std::string username;
  std::string password;
  bool useCandidate = false;
  bool fingerprint = true;
  std::array<std::uint8_t, 12> tid{1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12};

  std::string build() const {
    std::vector<std::uint8_t> buf(256);
    StunWriter w(buf, 1, stun::Class::Request, tid);
    w.add(stun::Username, username);
    w.addUint32(stun::Priority, 0x6e7f1eff);
    w.add(stun::IceControlling, hex("01 02 03 04 05 06 07 08"));
    if (useCandidate) w.add(stun::UseCandidate, "");
    w.addMessageIntegrity(password);
    if (fingerprint) w.addFingerprint();
    return text(w.bytes());
  }
};

class IceLiteAgentTest : public ::testing::Test {
 protected:
  IceLiteAgent::Result handle(IceLiteAgent& agent, const std::string& datagram, const Address& from,
                              IceLiteAgent::Clock::time_point now) {
    parsed_ = StunCodec::parse(datagram);
    EXPECT_TRUE(parsed_);
    return agent.handleRequest(*parsed_, from, now, out_);
  }

  Limits limits_;
  IceLiteAgent::Clock::time_point t0_{};
  std::array<std::uint8_t, IceLiteAgent::kMaxResponseBytes> out_{};
  std::optional<stun::Message> parsed_;
  Recorder recorder_;
};

TEST_F(IceLiteAgentTest, AnswersTheRfc5769SampleRequest) {
  IceLiteAgent agent(kVectorCredentials, limits_, t0_, &recorder_);
  agent.setRemoteUfrag("h6vY");
  auto r = handle(agent, kRequest, v4(1, 32853), t0_ + 1s);
  ASSERT_EQ(r.verdict, Verdict::Respond);
  const std::string wire = text(r.response);  // the parsed view points into it
  auto m = StunCodec::parse(wire);
  ASSERT_TRUE(m);
  EXPECT_EQ(m->cls, stun::Class::Success);
  EXPECT_EQ(m->transactionId, parsed_->transactionId);
  EXPECT_TRUE(m->fingerprintValid);
  EXPECT_TRUE(m->find(stun::Fingerprint));
  EXPECT_TRUE(m->integrityValid(kVectorCredentials.password));
  auto mapped = m->xorMappedAddress();
  ASSERT_TRUE(mapped);
  EXPECT_EQ(mapped->bytes, v4(1, 32853).bytes);
  EXPECT_EQ(mapped->port, 32853);
  // No USE-CANDIDATE in the sample: checking, nothing nominated.
  EXPECT_EQ(agent.state(), State::Checking);
  EXPECT_FALSE(agent.nominated());
  EXPECT_EQ(recorder_.states, std::vector<State>{State::Checking});
  EXPECT_EQ(agent.lastConsent(), t0_ + 1s);
  EXPECT_EQ(agent.counters().responses, 1u);
}

TEST_F(IceLiteAgentTest, RefusesWrongCredentialsAndCountsThem) {
  IceLiteAgent wrongPassword({"evtj", "another password of 22+"}, limits_, t0_);
  EXPECT_EQ(handle(wrongPassword, kRequest, v4(1, 1), t0_).verdict, Verdict::BadIntegrity);
  EXPECT_EQ(wrongPassword.counters().badIntegrity, 1u);

  IceLiteAgent wrongUfrag({"xxxx", kVectorCredentials.password}, limits_, t0_);
  EXPECT_EQ(handle(wrongUfrag, kRequest, v4(1, 1), t0_).verdict, Verdict::BadUsername);

  IceLiteAgent wrongRemote(kVectorCredentials, limits_, t0_);
  wrongRemote.setRemoteUfrag("abcd");
  EXPECT_EQ(handle(wrongRemote, kRequest, v4(1, 1), t0_).verdict, Verdict::BadUsername);
  EXPECT_EQ(wrongRemote.counters().badUsernames, 1u);

  IceLiteAgent agent(kVectorCredentials, limits_, t0_, &recorder_);
  std::string badFingerprint = kRequest;
  badFingerprint.back() ^= 1;
  EXPECT_EQ(handle(agent, badFingerprint, v4(1, 1), t0_).verdict, Verdict::BadFingerprint);
  Check noFingerprint{"evtj:h6vY", kVectorCredentials.password};
  noFingerprint.fingerprint = false;
  EXPECT_EQ(handle(agent, noFingerprint.build(), v4(1, 1), t0_).verdict, Verdict::BadFingerprint);
  EXPECT_EQ(agent.counters().badFingerprints, 2u);

  // A success response is not a request.
  std::vector<std::uint8_t> buf(64);
  StunWriter w(buf, 1, stun::Class::Success, {});
  w.addFingerprint();
  EXPECT_EQ(handle(agent, text(w.bytes()), v4(1, 1), t0_).verdict, Verdict::NotBindingRequest);

  // None of it changed the state or refreshed consent.
  EXPECT_EQ(agent.state(), State::New);
  EXPECT_TRUE(recorder_.states.empty());
  EXPECT_EQ(agent.counters().responses, 0u);
}

TEST_F(IceLiteAgentTest, UseCandidateNominatesAndTheLatestNominationWins) {
  IceCredentials local = IceCredentials::random();
  IceLiteAgent agent(local, limits_, t0_, &recorder_);
  agent.setRemoteUfrag("remote");
  Check check{local.ufrag + ":remote", local.password};
  EXPECT_EQ(handle(agent, check.build(), v4(1, 1000), t0_).verdict, Verdict::Respond);
  EXPECT_EQ(agent.state(), State::Checking);

  check.useCandidate = true;
  EXPECT_EQ(handle(agent, check.build(), v4(2, 2000), t0_ + 1s).verdict, Verdict::Respond);
  EXPECT_EQ(agent.state(), State::Connected);
  ASSERT_TRUE(agent.nominated());
  EXPECT_EQ(agent.nominated()->port, 2000);

  // Nominating the same pair again is no news; another pair is.
  handle(agent, check.build(), v4(2, 2000), t0_ + 2s);
  handle(agent, check.build(), v4(3, 3000), t0_ + 3s);
  EXPECT_EQ(agent.nominated()->port, 3000);
  ASSERT_EQ(recorder_.nominations.size(), 2u);
  EXPECT_EQ(recorder_.nominations[0].port, 2000);
  EXPECT_EQ(recorder_.nominations[1].port, 3000);
  EXPECT_EQ((recorder_.states), (std::vector<State>{State::Checking, State::Connected}));
}

TEST_F(IceLiteAgentTest, ConsentExpiresAfterTheLimitWithoutAValidCheck) {
  IceCredentials local = IceCredentials::random();
  IceLiteAgent agent(local, limits_, t0_, &recorder_);
  Check check{local.ufrag + ":r", local.password, true};
  handle(agent, check.build(), v4(1, 1000), t0_ + 1s);
  ASSERT_EQ(agent.state(), State::Connected);
  const auto timeout = std::chrono::milliseconds(limits_.iceConsentTimeoutMs);

  // A check on a pair that is not the nominated one does not keep the transport alive.
  check.useCandidate = false;
  EXPECT_EQ(handle(agent, check.build(), v4(9, 9000), t0_ + 20s).verdict, Verdict::Respond);
  EXPECT_EQ(agent.lastConsent(), t0_ + 1s);
  // Neither do checks that fail.
  Check wrong{local.ufrag + ":r", "not the password at all"};
  handle(agent, wrong.build(), v4(1, 1000), t0_ + 25s);

  agent.tick(t0_ + 1s + timeout - 1ms);
  EXPECT_EQ(agent.state(), State::Connected);
  agent.tick(t0_ + 1s + timeout);
  EXPECT_EQ(agent.state(), State::Closed);
  EXPECT_EQ(recorder_.states.back(), State::Closed);

  // Closed is final: nothing is answered any more.
  EXPECT_EQ(handle(agent, check.build(), v4(1, 1000), t0_ + 40s).verdict, Verdict::Closed);
  agent.tick(t0_ + 100s);
  agent.close();
  EXPECT_EQ(std::count(recorder_.states.begin(), recorder_.states.end(), State::Closed), 1);
}

TEST_F(IceLiteAgentTest, ChecksOnTheNominatedPairRefreshConsent) {
  limits_.iceConsentTimeoutMs = 5000;
  IceCredentials local = IceCredentials::random();
  IceLiteAgent agent(local, limits_, t0_);
  Check check{local.ufrag + ":r", local.password, true};
  for (int s = 0; s <= 60; s += 4) {
    EXPECT_EQ(handle(agent, check.build(), v4(1, 1000), t0_ + std::chrono::seconds(s)).verdict,
              Verdict::Respond);
    agent.tick(t0_ + std::chrono::seconds(s) + 4999ms);
    ASSERT_EQ(agent.state(), State::Connected) << s;
  }
}

TEST_F(IceLiteAgentTest, AnAgentNobodyChecksClosesToo) {
  IceLiteAgent agent(IceCredentials::random(), limits_, t0_, &recorder_);
  agent.tick(t0_ + std::chrono::milliseconds(limits_.iceConsentTimeoutMs));
  EXPECT_EQ(agent.state(), State::Closed);
}

TEST_F(IceLiteAgentTest, NoRoomForTheResponseSendsNothing) {
  IceLiteAgent agent(kVectorCredentials, limits_, t0_);
  parsed_ = StunCodec::parse(kRequest);
  std::array<std::uint8_t, 40> small{};
  auto r = agent.handleRequest(*parsed_, v4(1, 1), t0_, small);
  EXPECT_EQ(r.verdict, Verdict::NoRoom);
  EXPECT_TRUE(r.response.empty());
  EXPECT_EQ(agent.state(), State::New);
}

TEST(IceCredentials, RandomOnesAreLongEnoughIceChars) {
  auto a = IceCredentials::random();
  auto b = IceCredentials::random();
  EXPECT_NE(a.ufrag, b.ufrag);
  EXPECT_GE(a.ufrag.size(), 4u);
  EXPECT_GE(a.password.size(), 22u);
  for (char c : a.ufrag + a.password) {
    EXPECT_TRUE(std::isalnum(static_cast<unsigned char>(c)) || c == '+' || c == '/') << c;
  }
}

TEST(IceLiteAgentNames, EveryStateAndVerdictHasOne) {
  for (auto s : {State::New, State::Checking, State::Connected, State::Closed}) {
    EXPECT_STRNE(IceLiteAgent::toString(s), "?");
  }
  EXPECT_STREQ(IceLiteAgent::toString(Verdict::BadIntegrity), "bad message integrity");
}

}  // namespace
}  // namespace aerie
