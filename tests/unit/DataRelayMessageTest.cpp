// DataRelayMessage: the Skylink MESSAGE the SFU passes on over data channels.
#include <gtest/gtest.h>

#include <boost/json.hpp>

#include "sfu/DataRelayMessage.hpp"

namespace aerie {
namespace {

TEST(DataRelayMessage, ABroadcastHasNoTargetsAndTheRealSender) {
  auto m = DataRelayMessage::parse(
      R"({"type":"MESSAGE","isPrivate":false,"sender":"someone-else","target":[],"data":{"a":1}})", "peer-1", 16);
  ASSERT_TRUE(m);
  EXPECT_TRUE(m->targets().empty());
  const auto v = boost::json::parse(m->text()).as_object();
  EXPECT_EQ(v.at("sender").as_string(), "peer-1");
  EXPECT_EQ(v.at("data").at("a").as_int64(), 1);
  EXPECT_EQ(v.at("isPrivate").as_bool(), false);
}

TEST(DataRelayMessage, APrivateMessageNamesItsTargets) {
  auto m = DataRelayMessage::parse(R"({"type":"MESSAGE","isPrivate":true,"target":["b","c"],"data":"hi"})", "a", 16);
  ASSERT_TRUE(m);
  ASSERT_EQ(m->targets().size(), 2u);
  EXPECT_EQ(m->targets()[1], "c");
}

TEST(DataRelayMessage, ANullTargetIsABroadcast) {
  auto m = DataRelayMessage::parse(R"({"type":"MESSAGE","target":null,"data":"x"})", "a", 16);
  ASSERT_TRUE(m);
  EXPECT_TRUE(m->targets().empty());
}

TEST(DataRelayMessage, AnythingElseIsRefused) {
  EXPECT_FALSE(DataRelayMessage::parse("not json", "a", 16));
  EXPECT_FALSE(DataRelayMessage::parse("[1,2]", "a", 16));
  EXPECT_FALSE(DataRelayMessage::parse(R"({"type":"WRQ","target":["b"]})", "a", 16));
  EXPECT_FALSE(DataRelayMessage::parse(R"({"type":"MESSAGE","target":"b"})", "a", 16));
  EXPECT_FALSE(DataRelayMessage::parse(R"({"type":"MESSAGE","target":[1]})", "a", 16));
  EXPECT_FALSE(DataRelayMessage::parse(R"({"type":"MESSAGE","data":[[[[[[1]]]]]]})", "a", 4));
}

}  // namespace
}  // namespace aerie
