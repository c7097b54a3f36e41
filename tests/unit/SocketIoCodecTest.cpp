#include "codec/SocketIoCodec.hpp"

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

TEST(SocketIoCodec, MessageArgumentIsAJsonStringOrAnObject) {
  using aerie::SioEventKind;
  auto kind = [](std::string_view data) { return SocketIoCodec::messageArgument(data).kind; };
  auto json = [](std::string_view data) { return SocketIoCodec::messageArgument(data).json; };
  // SkylinkJS 0.6+ (socket.send(JSON.stringify(m))) and 0.5.x (socket.send(m), e.g. a group).
  EXPECT_EQ(json(R"(["message","{\"type\":\"x\"}"])"), R"({"type":"x"})");
  EXPECT_EQ(kind(R"(["message",{"type":"x"}])"), SioEventKind::Message);
  EXPECT_EQ(json(R"(["message",{"type":"group","lists":["{\"type\":\"public\"}"]}])"),
            R"({"type":"group","lists":["{\"type\":\"public\"}"]})");
  EXPECT_EQ(kind(R"(["other","x"])"), SioEventKind::OtherEvent);
  EXPECT_EQ(kind(R"(["message","a","b"])"), SioEventKind::BadArgument);
  EXPECT_EQ(kind(R"(["message"])"), SioEventKind::BadArgument);
  EXPECT_EQ(kind(R"(["message",42])"), SioEventKind::BadArgument);
  EXPECT_EQ(kind(R"(["message",["x"]])"), SioEventKind::BadArgument);
  EXPECT_EQ(kind(R"(["message")"), SioEventKind::Malformed);
  EXPECT_EQ(kind(R"([])"), SioEventKind::Malformed);
  EXPECT_EQ(kind(R"({"message":"x"})"), SioEventKind::Malformed);
  EXPECT_EQ(kind(R"([[[[[[["deep"]]]]]]])"), SioEventKind::Malformed);
  EXPECT_TRUE(json(R"(["other","x"])").empty());
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
  EXPECT_EQ(SocketIoCodec::messageArgument(sio->data).json, json);
}

TEST(SocketIoCodec, EncodeReplacesInvalidUtf8) {
  std::string packet = SocketIoCodec::encodeMessage("a\xFF" "b\xC3");
  EXPECT_EQ(packet, "42[\"message\",\"a\\ufffdb\\ufffd\"]");
}
