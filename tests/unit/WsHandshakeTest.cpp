#include "codec/WsHandshake.hpp"

#include <gtest/gtest.h>

#include "core/Utf8.hpp"

using namespace aerie;

TEST(WsHandshakeTest, Rfc6455Example) {
  // RFC 6455 section 1.3.
  EXPECT_EQ(WsHandshake::acceptFor("dGhlIHNhbXBsZSBub25jZQ=="), "s3pPLMBiTxaQ9kYGzzhZRbK+xOo=");
  auto r = WsHandshake::response("dGhlIHNhbXBsZSBub25jZQ==");
  EXPECT_EQ(r.rfind("HTTP/1.1 101 Switching Protocols\r\n", 0), 0u);
  EXPECT_NE(r.find("Sec-WebSocket-Accept: s3pPLMBiTxaQ9kYGzzhZRbK+xOo=\r\n"), std::string::npos);
  EXPECT_EQ(r.substr(r.size() - 4), "\r\n\r\n");
}

TEST(WsHandshakeTest, ChecksVersionAndKey) {
  EXPECT_EQ(WsHandshake::check("13", "dGhlIHNhbXBsZSBub25jZQ=="), WsHandshake::Result::Ok);
  EXPECT_EQ(WsHandshake::check("8", "dGhlIHNhbXBsZSBub25jZQ=="), WsHandshake::Result::BadVersion);
  EXPECT_EQ(WsHandshake::check("", "dGhlIHNhbXBsZSBub25jZQ=="), WsHandshake::Result::BadVersion);
  EXPECT_EQ(WsHandshake::check("13", ""), WsHandshake::Result::BadKey);
  EXPECT_EQ(WsHandshake::check("13", "c2hvcnQ="), WsHandshake::Result::BadKey);  // 5 bytes
  EXPECT_EQ(WsHandshake::check("13", "not base64 at all!!!"), WsHandshake::Result::BadKey);
  EXPECT_NE(WsHandshake::refusal(WsHandshake::Result::BadVersion).find("426"), std::string::npos);
  EXPECT_NE(WsHandshake::refusal(WsHandshake::Result::BadKey).find("400"), std::string::npos);
}

TEST(Utf8Test, ValidAndInvalid) {
  EXPECT_TRUE(utf8::valid(""));
  EXPECT_TRUE(utf8::valid("plain ascii, long enough for the word path"));
  EXPECT_TRUE(utf8::valid("h\xC3\xA9llo \xE2\x82\xAC \xF0\x9F\x98\x80"));
  EXPECT_FALSE(utf8::valid("\xC0\xAF"));          // overlong
  EXPECT_FALSE(utf8::valid("\xED\xA0\x80"));      // surrogate
  EXPECT_FALSE(utf8::valid("\xF4\x90\x80\x80"));  // above U+10FFFF
  EXPECT_FALSE(utf8::valid("abc\xE2\x82"));       // truncated
  EXPECT_FALSE(utf8::valid("\x80"));              // stray continuation
  EXPECT_FALSE(utf8::valid("12345678\xFF"));
}
