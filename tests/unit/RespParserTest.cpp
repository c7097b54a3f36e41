#include "codec/RespParser.hpp"

#include <gtest/gtest.h>

#include "codec/RespCommand.hpp"

using aerie::RespCommand;
using aerie::RespParser;
using aerie::RespValue;
using Status = RespParser::Status;

namespace {

RespValue parseAll(std::string_view in) {
  RespValue v;
  const auto r = RespParser::parse(in, v);
  EXPECT_EQ(r.status, Status::Complete) << in;
  EXPECT_EQ(r.consumed, in.size()) << in;
  return v;
}

Status statusOf(std::string_view in) {
  RespValue v;
  return RespParser::parse(in, v).status;
}

}  // namespace

TEST(RespParser, Resp2Types) {
  EXPECT_EQ(parseAll("+OK\r\n").string(), "OK");
  const auto err = parseAll("-ERR unknown command\r\n");
  EXPECT_TRUE(err.isError());
  EXPECT_EQ(err.text, "ERR unknown command");
  EXPECT_EQ(parseAll(":-42\r\n").integer, -42);
  EXPECT_EQ(parseAll("$5\r\na\r\nbc\r\n").string(), "a\r\nbc");  // binary-safe
  EXPECT_EQ(parseAll("$0\r\n\r\n").string(), "");
  EXPECT_TRUE(parseAll("$-1\r\n").isNil());
  EXPECT_TRUE(parseAll("*-1\r\n").isNil());
  const auto arr = parseAll("*3\r\n$1\r\na\r\n:7\r\n*1\r\n$-1\r\n");
  ASSERT_EQ(arr.type, RespValue::Type::Array);
  ASSERT_EQ(arr.elements.size(), 3u);
  EXPECT_EQ(arr.elements[0].string(), "a");
  EXPECT_EQ(arr.elements[1].integer, 7);
  EXPECT_TRUE(arr.elements[2].elements[0].isNil());
}

TEST(RespParser, Resp3Types) {
  EXPECT_TRUE(parseAll("_\r\n").isNil());
  EXPECT_EQ(parseAll("#t\r\n").integer, 1);
  EXPECT_EQ(parseAll(",1.5\r\n").string(), "1.5");
  EXPECT_EQ(parseAll("(3492890328409238509324850943850943825024385\r\n").type, RespValue::Type::Bulk);
  EXPECT_TRUE(parseAll("!3\r\nERR\r\n").isError());
  EXPECT_EQ(parseAll("=7\r\ntxt:abc\r\n").string(), "txt:abc");
  const auto map = parseAll("%2\r\n+a\r\n:1\r\n+b\r\n:2\r\n");
  ASSERT_EQ(map.type, RespValue::Type::Map);
  EXPECT_EQ(map.elements.size(), 4u);
  EXPECT_EQ(parseAll("~1\r\n+x\r\n").elements.size(), 1u);
  EXPECT_EQ(parseAll(">2\r\n+message\r\n+x\r\n").elements.size(), 2u);
  // An attribute is read and dropped: the reply is what follows it.
  EXPECT_EQ(parseAll("|1\r\n+ttl\r\n:3\r\n:9\r\n").integer, 9);
}

TEST(RespParser, IncompleteUntilEveryByteIsThere) {
  const std::string whole = "*2\r\n$3\r\nfoo\r\n:12\r\n";
  for (std::size_t n = 0; n < whole.size(); ++n) {
    EXPECT_EQ(statusOf(whole.substr(0, n)), Status::Incomplete) << n;
  }
  RespValue v;
  const auto r = RespParser::parse(whole + "+NEXT\r\n", v);
  EXPECT_EQ(r.status, Status::Complete);
  EXPECT_EQ(r.consumed, whole.size());
}

TEST(RespParser, RefusesMalformedAndOversizedInput) {
  EXPECT_EQ(statusOf("?what\r\n"), Status::Invalid);
  EXPECT_EQ(statusOf(":12x\r\n"), Status::Invalid);
  EXPECT_EQ(statusOf(":\r\n"), Status::Invalid);
  EXPECT_EQ(statusOf("$-2\r\n"), Status::Invalid);
  EXPECT_EQ(statusOf("$3\r\nabcd\r\n"), Status::Invalid);  // no CRLF where the length ends
  EXPECT_EQ(statusOf("*-5\r\n"), Status::Invalid);
  EXPECT_EQ(statusOf("#x\r\n"), Status::Invalid);
  RespParser::Bounds tight;
  tight.maxBytes = 64;
  tight.maxElements = 4;
  tight.maxDepth = 2;
  RespValue v;
  EXPECT_EQ(RespParser::parse("$100\r\n", v, tight).status, Status::Invalid);           // length over the bound
  EXPECT_EQ(RespParser::parse("*5\r\n", v, tight).status, Status::Invalid);             // more elements than allowed
  EXPECT_EQ(RespParser::parse("*1\r\n*1\r\n*1\r\n:1\r\n", v, tight).status, Status::Invalid);  // too deep
  EXPECT_EQ(RespParser::parse(std::string(64, '+'), v, tight).status, Status::Invalid);  // never fits
  EXPECT_EQ(statusOf("*2147483647\r\n"), Status::Invalid);  // a count no reply can hold
}

TEST(RespCommand, EncodesBinarySafeBulkStrings) {
  std::string out;
  RespCommand::encode({"SET", "k", std::string("a\0b", 3)}, out);
  EXPECT_EQ(out, std::string("*3\r\n$3\r\nSET\r\n$1\r\nk\r\n$3\r\na\0b\r\n", 29));
}
