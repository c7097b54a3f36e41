#include <gtest/gtest.h>

#include <set>
#include <string>

#include "core/Crypto.hpp"

namespace aerie::crypto {
namespace {

std::string hex(std::string_view bytes) {
  static constexpr char kHex[] = "0123456789abcdef";
  std::string out;
  for (unsigned char c : bytes) {
    out += kHex[c >> 4];
    out += kHex[c & 15];
  }
  return out;
}

TEST(CryptoTest, HmacSha1Rfc2202) {
  EXPECT_EQ(hex(hmacSha1(std::string(20, '\x0b'), "Hi There")),
            "b617318655057264e28bc0b6fb378c8ef146be00");
  EXPECT_EQ(hex(hmacSha1("Jefe", "what do ya want for nothing?")),
            "effcdf6ae5eb2fa2d27416d5f184df9c259a7c79");
  EXPECT_EQ(hex(hmacSha1(std::string(20, '\xaa'), std::string(50, '\xdd'))),
            "125d7342b9ac11cd91a39af48aa17b4f63f175d3");
}

TEST(CryptoTest, HmacSha256Rfc4231) {
  EXPECT_EQ(hex(hmacSha256(std::string(20, '\x0b'), "Hi There")),
            "b0344c61d8db38535ca8afceaf0bf12b881dc200c9833da726e9376c2e32cff7");
  EXPECT_EQ(hex(hmacSha256("Jefe", "what do ya want for nothing?")),
            "5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843");
  // Test case 6: a key longer than the block size is hashed first.
  EXPECT_EQ(hex(hmacSha256(std::string(131, '\xaa'),
                           "Test Using Larger Than Block-Size Key - Hash Key First")),
            "60e431591ee0b67f0d8a26aacbf5b77f8e0bc6213728c5140546040f0ee37f54");
}

TEST(CryptoTest, HmacAcceptsEmptyKey) {
  EXPECT_EQ(hex(hmacSha256("", "")),
            "b613679a0814d9ec772f95d778c35fc5ff1697c493715653c6c712144292c5ad");
}

// The Skylink `cred` of spec section 2, computed with node's crypto module:
// createHmac('sha1','secret').update('room_2_2026-11-25T10:00:00.000Z').digest('base64')
TEST(CryptoTest, SkylinkCredVector) {
  EXPECT_EQ(base64Encode(hmacSha1("secret", "room_2_2026-11-25T10:00:00.000Z")),
            "vfi4SJe/f+ES+uHxE8bzc5+Cs4c=");
}

TEST(CryptoTest, Sha1Fips180) {
  EXPECT_EQ(hex(sha1("abc")), "a9993e364706816aba3e25717850c26c9cd0d89d");
}

TEST(CryptoTest, Sha256) {
  EXPECT_EQ(hex(sha256("abc")), "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
}

TEST(CryptoTest, Base64Rfc4648Vectors) {
  const std::pair<const char*, const char*> cases[] = {
      {"", ""},
      {"f", "Zg=="},
      {"fo", "Zm8="},
      {"foo", "Zm9v"},
      {"foob", "Zm9vYg=="},
      {"fooba", "Zm9vYmE="},
      {"foobar", "Zm9vYmFy"},
  };
  for (const auto& [plain, encoded] : cases) {
    EXPECT_EQ(base64Encode(plain), encoded);
    EXPECT_EQ(base64Decode(encoded), std::optional<std::string>(plain)) << encoded;
  }
}

TEST(CryptoTest, Base64DecodeAcceptsMissingPadding) {
  EXPECT_EQ(base64Decode("Zg"), std::optional<std::string>("f"));
  EXPECT_EQ(base64Decode("Zm8"), std::optional<std::string>("fo"));
}

TEST(CryptoTest, Base64DecodeRejectsBadInput) {
  for (const char* bad : {"Z", "Zg=", "Zg===", "Zm9v!", " Zg==", "Zg==\n", "Zh==", "Zm9=", "Zm9vY",
                          "=Zg=", "Zg==Zg==", "Zm-v", "Zm_v"}) {
    EXPECT_FALSE(base64Decode(bad).has_value()) << bad;
  }
}

TEST(CryptoTest, Base64Url) {
  EXPECT_EQ(base64UrlEncode("\xfb\xff"), "-_8");
  EXPECT_EQ(base64UrlEncode("f"), "Zg");
  EXPECT_EQ(base64UrlDecode("-_8"), std::optional<std::string>("\xfb\xff"));
  EXPECT_FALSE(base64UrlDecode("+/8").has_value());
  EXPECT_FALSE(base64UrlDecode("Z").has_value());
}

TEST(CryptoTest, Base64RoundTripsAllByteValues) {
  std::string all;
  for (int i = 0; i < 256; ++i) all += static_cast<char>(i);
  for (std::size_t n = 0; n <= all.size(); n += 37) {
    const std::string part = all.substr(0, n);
    EXPECT_EQ(base64Decode(base64Encode(part)), part);
    EXPECT_EQ(base64UrlDecode(base64UrlEncode(part)), part);
  }
}

TEST(CryptoTest, ConstantTimeEqual) {
  EXPECT_TRUE(constantTimeEqual("", ""));
  EXPECT_TRUE(constantTimeEqual("abc", "abc"));
  EXPECT_FALSE(constantTimeEqual("abc", "abd"));
  EXPECT_FALSE(constantTimeEqual("abc", "abcd"));
  EXPECT_FALSE(constantTimeEqual("", "a"));
}

TEST(CryptoTest, RandomBytesAndTokens) {
  EXPECT_EQ(randomBytes(0).size(), 0u);
  EXPECT_EQ(randomBytes(33).size(), 33u);
  std::set<std::string> seen;
  for (int i = 0; i < 100; ++i) {
    const std::string t = randomToken(16);
    EXPECT_EQ(t.size(), 22u);
    EXPECT_EQ(
        t.find_first_not_of("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_"),
        std::string::npos);
    seen.insert(t);
  }
  EXPECT_EQ(seen.size(), 100u);
}

}  // namespace
}  // namespace aerie::crypto
