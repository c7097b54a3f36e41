#include "codec/ByteRange.hpp"

#include <gtest/gtest.h>

#include <string>

using aerie::ByteRange;
using Kind = aerie::ByteRange::Kind;

namespace {

// "206 a-b", "416", "200": what the reply would be.
std::string answer(std::string_view header, std::uint64_t size) {
  const auto r = ByteRange::parse(header, size);
  switch (r.kind) {
    case Kind::Whole: return "200";
    case Kind::Unsatisfiable: return "416";
    case Kind::Partial: return "206 " + std::to_string(r.first) + "-" + std::to_string(r.last);
  }
  return "?";
}

}  // namespace

TEST(ByteRange, FirstAndLast) {
  EXPECT_EQ(answer("bytes=0-99", 1000), "206 0-99");
  EXPECT_EQ(answer("bytes=500-500", 1000), "206 500-500");
  EXPECT_EQ(ByteRange::parse("bytes=10-19", 1000).length(), 10U);
  // A last position past the end means the end (RFC 9110 section 14.1.1).
  EXPECT_EQ(answer("bytes=900-5000", 1000), "206 900-999");
  EXPECT_EQ(answer("bytes=999-999", 1000), "206 999-999");
}

TEST(ByteRange, OpenEndedAndSuffix) {
  EXPECT_EQ(answer("bytes=0-", 1000), "206 0-999");  // what Chromium's <video> asks first
  EXPECT_EQ(answer("bytes=750-", 1000), "206 750-999");
  EXPECT_EQ(answer("bytes=-100", 1000), "206 900-999");
  EXPECT_EQ(answer("bytes=-1000", 1000), "206 0-999");
  EXPECT_EQ(answer("bytes=-5000", 1000), "206 0-999");
}

TEST(ByteRange, UnsatisfiableRanges) {
  EXPECT_EQ(answer("bytes=1000-", 1000), "416");
  EXPECT_EQ(answer("bytes=1000-2000", 1000), "416");
  EXPECT_EQ(answer("bytes=-0", 1000), "416");
  EXPECT_EQ(answer("bytes=0-", 0), "416");  // an empty file has no byte to send
  EXPECT_EQ(answer("bytes=-5", 0), "416");
}

TEST(ByteRange, IgnoredHeadersGiveTheWholeFile) {
  EXPECT_EQ(answer("", 1000), "200");
  EXPECT_EQ(answer("items=0-5", 1000), "200");
  EXPECT_EQ(answer("bytes", 1000), "200");
  EXPECT_EQ(answer("bytes=", 1000), "200");
  EXPECT_EQ(answer("bytes=-", 1000), "200");
  EXPECT_EQ(answer("bytes=5-3", 1000), "200");  // last before first: invalid
  EXPECT_EQ(answer("bytes=a-3", 1000), "200");
  EXPECT_EQ(answer("bytes=1-b", 1000), "200");
  EXPECT_EQ(answer("bytes=0x10-", 1000), "200");
  EXPECT_EQ(answer("bytes=1 - 2", 1000), "200");
  EXPECT_EQ(answer("bytes=+1-2", 1000), "200");
  EXPECT_EQ(answer("bytes=99999999999999999999-", 1000), "200");  // past 2^63
  EXPECT_EQ(answer("bytes=-99999999999999999999", 1000), "200");
  // Several ranges: the whole file (documented), even when some lie beyond it.
  EXPECT_EQ(answer("bytes=0-1,5-6", 1000), "200");
  EXPECT_EQ(answer("bytes=0-1, -5", 1000), "200");
  EXPECT_EQ(answer("bytes=2000-,3000-", 1000), "200");
}

TEST(ByteRange, ToleratesCaseSpacesAndEmptyElements) {
  EXPECT_EQ(answer("Bytes=0-9", 1000), "206 0-9");
  EXPECT_EQ(answer("BYTES = 0-9", 1000), "206 0-9");
  EXPECT_EQ(answer("bytes= 0-9 ", 1000), "206 0-9");
  EXPECT_EQ(answer("bytes=0-9,", 1000), "206 0-9");
  EXPECT_EQ(answer("bytes=, ,0-9", 1000), "206 0-9");
}

TEST(ByteRange, LargeSizes) {
  const std::uint64_t big = 1ULL << 62;
  EXPECT_EQ(answer("bytes=-1", big), "206 " + std::to_string(big - 1) + "-" + std::to_string(big - 1));
  EXPECT_EQ(answer("bytes=9223372036854775807-", big), "416");
  const auto r = ByteRange::parse("bytes=0-", big);
  EXPECT_EQ(r.length(), big);
}
