#include "signaling/SocketIoCodec.hpp"

#include <gtest/gtest.h>

using aerie::SioType;
using aerie::SocketIoCodec;

TEST(SocketIoCodec, ParsesEventWithDefaultNamespace) {
  auto p = SocketIoCodec::parse(R"(2["message","{}"])");
  ASSERT_TRUE(p);
  EXPECT_EQ(p->type, SioType::Event);
  EXPECT_EQ(p->nsp, "/");
  EXPECT_FALSE(p->ackId);
  EXPECT_EQ(p->data, R"(["message","{}"])");
}

TEST(SocketIoCodec, ParsesNamespaceAndAckId) {
  auto p = SocketIoCodec::parse(R"(2/admin,12["x"])");
  ASSERT_TRUE(p);
  EXPECT_EQ(p->nsp, "/admin");
  EXPECT_EQ(p->ackId, 12u);
  EXPECT_EQ(p->data, R"(["x"])");
}

TEST(SocketIoCodec, RejectsGarbage) {
  for (const char* bad : {"", "9", "x", "51-[\"a\"]", "2999999999999999999[]"}) {
    EXPECT_FALSE(SocketIoCodec::parse(bad)) << bad;
  }
}

TEST(SocketIoCodec, MessageArgumentOnlyForMessageWithString) {
  EXPECT_EQ(SocketIoCodec::messageArgument(R"(["message","{\"type\":\"x\"}"])"), R"({"type":"x"})");
  EXPECT_FALSE(SocketIoCodec::messageArgument(R"(["other","x"])"));
  EXPECT_FALSE(SocketIoCodec::messageArgument(R"(["message",{"type":"x"}])"));
  EXPECT_FALSE(SocketIoCodec::messageArgument(R"(["message","a","b"])"));
  EXPECT_FALSE(SocketIoCodec::messageArgument(R"(["message")"));
  EXPECT_FALSE(SocketIoCodec::messageArgument(R"([[[[[[["deep"]]]]]]])"));
}

TEST(SocketIoCodec, EncodeMessageIsAsciiAndRoundTrips) {
  std::string json = "{\"data\":\"h\xC3\xA9llo \xF0\x9F\x98\x80 \\\"q\\\"\\n\"}";
  std::string packet = SocketIoCodec::encodeMessage(json);
  for (unsigned char c : packet) EXPECT_LT(c, 0x80);
  EXPECT_EQ(packet.rfind("42[\"message\",", 0), 0u);
  EXPECT_NE(packet.find("\\u00e9"), std::string::npos);
  EXPECT_NE(packet.find("\\ud83d\\ude00"), std::string::npos);
  auto sio = SocketIoCodec::parse(std::string_view(packet).substr(1));
  ASSERT_TRUE(sio);
  EXPECT_EQ(SocketIoCodec::messageArgument(sio->data), json);
}

TEST(SocketIoCodec, EncodeReplacesInvalidUtf8) {
  std::string packet = SocketIoCodec::encodeMessage("a\xFF" "b\xC3");
  EXPECT_EQ(packet, "42[\"message\",\"a\\ufffdb\\ufffd\"]");
}
