#include <gtest/gtest.h>

#include <boost/json/parse.hpp>
#include <set>
#include <string>

#include "hub/MessageRules.hpp"

namespace aerie {
namespace {

constexpr std::size_t kDepth = 16;
constexpr std::size_t kUserData = 64;

RuleViolation checkJson(std::string_view json) {
  auto msg = MessageRules::parse(json, kDepth);
  EXPECT_TRUE(msg.has_value()) << json;
  if (!msg) return RuleViolation::None;
  const auto* rule = MessageRules::find(msg->at("type").as_string());
  EXPECT_NE(rule, nullptr) << json;
  if (rule == nullptr) return RuleViolation::None;
  return MessageRules::check(*rule, *msg, kUserData);
}

struct RuleCase {
  const char* json;
  RuleViolation expected;
};

class MessageRulesCheckTest : public ::testing::TestWithParam<RuleCase> {};

TEST_P(MessageRulesCheckTest, Check) {
  EXPECT_EQ(checkJson(GetParam().json), GetParam().expected) << GetParam().json;
}

INSTANTIATE_TEST_SUITE_P(
    MessageRulesTest, MessageRulesCheckTest,
    ::testing::Values(
        // What SkylinkJS 0.6.37 really sends passes.
        RuleCase{
            R"({"type":"enter","mid":"a","rid":"r","agent":"chrome","version":"120","os":"Linux",)"
            R"("userInfo":{"userData":"x"},"receiveOnly":false,"weight":123.5,"enableIceTrickle":true})",
            RuleViolation::None},
        RuleCase{R"({"type":"enter","target":"b"})", RuleViolation::None},
        RuleCase{R"({"type":"enter","target":5})", RuleViolation::WrongType},
        RuleCase{R"({"type":"enter","userInfo":null})", RuleViolation::None},
        RuleCase{R"({"type":"enter","userInfo":"str"})", RuleViolation::WrongType},
        RuleCase{R"({"type":"welcome","target":"b","weight":1})", RuleViolation::None},
        RuleCase{R"({"type":"welcome"})", RuleViolation::MissingField},
        RuleCase{R"({"type":"welcome","target":"b","weight":"heavy"})", RuleViolation::WrongType},
        RuleCase{R"({"type":"restart","target":"b","doIceRestart":true})", RuleViolation::None},
        RuleCase{R"({"type":"offer","target":"b","sdp":"v=0"})", RuleViolation::None},
        RuleCase{R"({"type":"offer","target":"b"})", RuleViolation::MissingField},
        RuleCase{R"({"type":"answer","target":"b","sdp":{}})", RuleViolation::WrongType},
        RuleCase{
            R"({"type":"candidate","target":"b","candidate":"candidate:1","label":0,"id":"0"})",
            RuleViolation::None},
        RuleCase{
            R"({"type":"candidate","target":"b","candidate":"candidate:1","label":null,"id":null})",
            RuleViolation::None},
        RuleCase{R"({"type":"candidate","target":"b","candidate":"c","label":"0"})",
                 RuleViolation::WrongType},
        RuleCase{R"({"type":"candidate","target":"b"})", RuleViolation::MissingField},
        RuleCase{R"({"type":"endOfCandidates","target":"b","noOfExpectedCandidates":3})",
                 RuleViolation::None},
        RuleCase{R"({"type":"private","target":"b","data":{"x":1},"cid":"k"})",
                 RuleViolation::None},
        RuleCase{R"({"type":"private","target":null})", RuleViolation::WrongType},
        RuleCase{R"({"type":"answerAck","target":"b"})", RuleViolation::None},
        RuleCase{R"({"type":"public","data":"hi","cid":"k"})", RuleViolation::None},
        RuleCase{R"({"type":"updateUserEvent","userData":{"name":"x"},"stamp":1})",
                 RuleViolation::None},
        RuleCase{R"({"type":"updateUserEvent","userData":"a string is fine too"})",
                 RuleViolation::None},
        RuleCase{R"({"type":"updateUserEvent","userData":"0123456789012345678901234567890123456789)"
                 R"(01234567890123456789012345678901234567890123456789"})",
                 RuleViolation::TooLarge},
        RuleCase{
            R"({"type":"enter","userInfo":{"userData":"012345678901234567890123456789012345678901234567890123456789"}})",
            RuleViolation::TooLarge},
        RuleCase{R"({"type":"muteAudioEvent","muted":true,"stamp":1})", RuleViolation::None},
        RuleCase{R"({"type":"muteVideoEvent","muted":"yes"})", RuleViolation::WrongType},
        RuleCase{R"({"type":"muteVideoEvent"})", RuleViolation::MissingField},
        RuleCase{R"({"type":"stream","streamId":"s","status":"ended","settings":{}})",
                 RuleViolation::None},
        RuleCase{R"({"type":"roomLockEvent","lock":true})", RuleViolation::None},
        RuleCase{R"({"type":"roomLockEvent","lock":"true"})", RuleViolation::WrongType},
        RuleCase{R"({"type":"group","lists":["{}"]})", RuleViolation::None},
        RuleCase{R"({"type":"group","lists":"x"})", RuleViolation::WrongType},
        RuleCase{R"({"type":"getPeers","showAll":false})", RuleViolation::None},
        RuleCase{R"({"type":"introduce","sendingPeerId":"a","receivingPeerId":"b"})",
                 RuleViolation::None},
        RuleCase{R"({"type":"introduce","sendingPeerId":"a"})", RuleViolation::MissingField},
        RuleCase{R"({"type":"joinRoom","rid":"r","userCred":"x"})", RuleViolation::None},
        RuleCase{R"({"type":"bye"})", RuleViolation::None},
        RuleCase{R"({"type":"message","data":"x","target":"b"})", RuleViolation::None},
        RuleCase{R"({"type":"mediaInfoEvent","target":"b","mediaState":1})", RuleViolation::None}));

TEST(MessageRulesTest, ParseRejectsWhatIsNotAMessage) {
  const char* bad[] = {"",
                       "{",
                       "[]",
                       "null",
                       "42",
                       "\"type\"",
                       "{}",
                       R"({"type":1})",
                       R"({"type":null})",
                       R"({"type":"offer"} trailing)",
                       R"({"type":"offer",})",
                       "{\"type\":\"public\",\"data\":\"\xff\xfe\"}",  // invalid UTF-8
                       "{\"type\":\"public\" /* comment */}"};
  for (const char* json : bad) EXPECT_FALSE(MessageRules::parse(json, kDepth).has_value()) << json;
}

TEST(MessageRulesTest, ParseEnforcesTheDepthLimit) {
  auto nested = [](int depth) {
    std::string s = R"({"type":"public","data":)";
    for (int i = 0; i < depth; ++i) s += "[";
    for (int i = 0; i < depth; ++i) s += "]";
    return s + "}";
  };
  EXPECT_TRUE(MessageRules::parse(nested(10), kDepth).has_value());
  EXPECT_FALSE(MessageRules::parse(nested(kDepth + 5), kDepth).has_value());
  EXPECT_FALSE(MessageRules::parse(nested(100000), kDepth).has_value());  // no stack overflow
}

TEST(MessageRulesTest, ServerOnlyTypesAreUnknown) {
  for (const char* type :
       {"inRoom", "redirect", "peerList", "approach", "introduceError", "recordingEvent", ""}) {
    EXPECT_EQ(MessageRules::find(type), nullptr) << type;
  }
}

TEST(MessageRulesTest, RoutingAndBucketsFollowTheSpecTable) {
  for (const char* type : {"welcome", "offer", "answer", "candidate", "endOfCandidates", "restart",
                           "private", "answerAck"}) {
    const auto* rule = MessageRules::find(type);
    ASSERT_NE(rule, nullptr) << type;
    EXPECT_EQ(rule->routing, Routing::Targeted) << type;
    EXPECT_EQ(rule->bucket, RateBucket::Targeted) << type;
  }
  for (const char* type : {"public", "updateUserEvent", "muteAudioEvent", "muteVideoEvent",
                           "stream", "roomLockEvent"}) {
    const auto* rule = MessageRules::find(type);
    ASSERT_NE(rule, nullptr) << type;
    EXPECT_EQ(rule->routing, Routing::Broadcast) << type;
    EXPECT_EQ(rule->bucket, RateBucket::Broadcast) << type;
  }
  const auto* enter = MessageRules::find("enter");
  ASSERT_NE(enter, nullptr);
  EXPECT_EQ(enter->routing, Routing::TargetOrBroadcast);
  const auto* message = MessageRules::find("message");
  ASSERT_NE(message, nullptr);
  EXPECT_EQ(MessageRules::bucketFor(*message, true), RateBucket::Targeted);
  EXPECT_EQ(MessageRules::bucketFor(*message, false), RateBucket::Broadcast);
  EXPECT_EQ(MessageRules::bucketFor(*MessageRules::find("bye"), false), RateBucket::None);
}

TEST(MessageRulesTest, GroupableIsExactlyTheClientsBatchList) {
  std::set<std::string> groupable;
  for (const auto& rule : MessageRules::all()) {
    if (rule.groupable) groupable.emplace(rule.type);
  }
  // SkylinkJS 0.6.37 _GROUP_MESSAGE_LIST (2.x uses a subset of it), plus roomLockEvent, which
  // 0.5.x batches too.
  EXPECT_EQ(groupable, (std::set<std::string>{"stream", "updateUserEvent", "muteAudioEvent",
                                              "muteVideoEvent", "public", "roomLockEvent"}));
}

TEST(MessageRulesTest, TypesAreUniqueAndNamed) {
  std::set<std::string> seen;
  for (const auto& rule : MessageRules::all()) {
    EXPECT_TRUE(seen.emplace(rule.type).second) << rule.type;
    EXPECT_STRNE(toString(rule.routing), "?");
    EXPECT_STRNE(toString(rule.bucket), "?");
  }
}

}  // namespace
}  // namespace aerie
