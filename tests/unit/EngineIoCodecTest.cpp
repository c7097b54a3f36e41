#include "codec/EngineIoCodec.hpp"

#include <gtest/gtest.h>

using aerie::EioVersion;
using aerie::EngineIoCodec;

namespace {
std::vector<std::shared_ptr<const std::string>> packets(std::initializer_list<const char*> list) {
  std::vector<std::shared_ptr<const std::string>> out;
  for (auto* p : list) out.push_back(std::make_shared<const std::string>(p));
  return out;
}
}  // namespace

TEST(EngineIoCodec, V3PayloadUsesUtf16Lengths) {
  std::vector<std::string> out;
  // "é" is one UTF-16 unit (two bytes), the emoji two units (four bytes).
  ASSERT_TRUE(EngineIoCodec::decodePayload(EioVersion::V3, "1:23:4\xC3\xA9x3:4\xF0\x9F\x98\x80", out, 10));
  ASSERT_EQ(out.size(), 3u);
  EXPECT_EQ(out[0], "2");
  EXPECT_EQ(out[1], "4\xC3\xA9x");
  EXPECT_EQ(out[2], "4\xF0\x9F\x98\x80");
}

TEST(EngineIoCodec, V3RejectsWrongLengths) {
  std::vector<std::string> out;
  for (const char* bad : {"", "5:2", "2:2", ":2", "1x2", "0:", "99999999999:2", "b4AAAA", "2:b4"}) {
    EXPECT_FALSE(EngineIoCodec::decodePayload(EioVersion::V3, bad, out, 10)) << bad;
  }
  // Splitting a surrogate pair is malformed.
  EXPECT_FALSE(EngineIoCodec::decodePayload(EioVersion::V3, "2:4\xF0\x9F\x98\x80", out, 10));
}

TEST(EngineIoCodec, V3UndoesByteStringEncodingOfOldClients) {
  // engine.io-client 1.x sends utf8.encode("é") = "\u00c3\u00a9", which the browser sends as
  // UTF-8 again: C3 83 C2 A9, two UTF-16 units after the type.
  std::vector<std::string> out;
  ASSERT_TRUE(EngineIoCodec::decodePayload(EioVersion::V3, "3:4\xC3\x83\xC2\xA9", out, 10));
  EXPECT_EQ(out[0], "4\xC3\xA9");
}

TEST(EngineIoCodec, V4SplitsOnRecordSeparator) {
  std::vector<std::string> out;
  ASSERT_TRUE(EngineIoCodec::decodePayload(EioVersion::V4, "2\x1e" "42[\"a\"]", out, 10));
  ASSERT_EQ(out.size(), 2u);
  EXPECT_EQ(out[1], "42[\"a\"]");
  EXPECT_FALSE(EngineIoCodec::decodePayload(EioVersion::V4, "2\x1e\x1e" "3", out, 10));
  EXPECT_FALSE(EngineIoCodec::decodePayload(EioVersion::V4, "2\x1e" "3\x1e" "4", out, 2));
}

TEST(EngineIoCodec, EncodesPayloads) {
  EXPECT_EQ(EngineIoCodec::encodePayload(EioVersion::V3, packets({"0{}", "40"})), "3:0{}2:40");
  EXPECT_EQ(EngineIoCodec::encodePayload(EioVersion::V4, packets({"0{}", "40"})), "0{}\x1e" "40");
}

TEST(EngineIoCodec, OpenPacketPerVersion) {
  EXPECT_EQ(EngineIoCodec::openPacket(EioVersion::V3, "abc", true, 25000, 20000, 1000),
            R"(0{"sid":"abc","upgrades":["websocket"],"pingInterval":25000,"pingTimeout":20000})");
  EXPECT_EQ(EngineIoCodec::openPacket(EioVersion::V4, "abc", false, 25000, 20000, 1000),
            R"(0{"sid":"abc","upgrades":[],"pingInterval":25000,"pingTimeout":20000,"maxPayload":1000})");
}
