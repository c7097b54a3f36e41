#include "codec/QueryString.hpp"

#include <gtest/gtest.h>

using aerie::QueryString;

TEST(QueryString, FindsAndDecodesParameters) {
  std::string_view t = "/socket.io/?EIO=3&transport=polling&sid=a%2Fb&flag&x=1+2#frag";
  EXPECT_EQ(QueryString::path(t), "/socket.io/");
  EXPECT_EQ(QueryString::get(t, "EIO"), "3");
  EXPECT_EQ(QueryString::get(t, "sid"), "a/b");
  EXPECT_EQ(QueryString::get(t, "flag"), "");
  EXPECT_EQ(QueryString::get(t, "x"), "1+2");
  EXPECT_FALSE(QueryString::get(t, "missing"));
  EXPECT_FALSE(QueryString::get("/no-query", "a"));
}

TEST(QueryString, KeepsMalformedEscapes) {
  EXPECT_EQ(QueryString::get("/?a=%zz%4", "a"), "%zz%4");
  EXPECT_EQ(QueryString::get("/?a=%41", "a"), "A");
}
