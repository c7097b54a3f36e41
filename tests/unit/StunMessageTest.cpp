#include "codec/StunMessage.hpp"

#include <gtest/gtest.h>

#include "stun/StunResponder.hpp"

using namespace aerie::stun;

namespace {

std::string hex(const char* text) {
  std::string out;
  int nibble = -1;
  for (const char* p = text; *p; ++p) {
    int v = (*p >= '0' && *p <= '9') ? *p - '0' : (*p >= 'a' && *p <= 'f') ? *p - 'a' + 10 : -1;
    if (v < 0) continue;
    if (nibble < 0) nibble = v;
    else { out += static_cast<char>(nibble * 16 + v); nibble = -1; }
  }
  return out;
}

// RFC 5769 test vectors.
const std::string kRequest = hex(
    "00 01 00 58 21 12 a4 42 b7 e7 a7 01 bc 34 d6 86 fa 87 df ae"
    "80 22 00 10 53 54 55 4e 20 74 65 73 74 20 63 6c 69 65 6e 74"
    "00 24 00 04 6e 00 01 ff 80 29 00 08 93 2f f9 b1 51 26 3b 36"
    "00 06 00 09 65 76 74 6a 3a 68 36 76 59 20 20 20"
    "00 08 00 14 9a ea a7 0c bf d8 cb 56 78 1e f2 b5 b2 d3 f2 49 c1 b5 71 a2"
    "80 28 00 04 e5 7a 3b cf");
const std::string kIpv4Response = hex(
    "01 01 00 3c 21 12 a4 42 b7 e7 a7 01 bc 34 d6 86 fa 87 df ae"
    "80 22 00 0b 74 65 73 74 20 76 65 63 74 6f 72 20"
    "00 20 00 08 00 01 a1 47 e1 12 a6 43"
    "00 08 00 14 2b 91 f5 99 fd 9e 90 c3 8c 74 89 f9 2a f9 ba 53 f0 6b e7 d7"
    "80 28 00 04 c0 7d 4c 96");
const std::string kIpv6Response = hex(
    "01 01 00 48 21 12 a4 42 b7 e7 a7 01 bc 34 d6 86 fa 87 df ae"
    "80 22 00 0b 74 65 73 74 20 76 65 63 74 6f 72 20"
    "00 20 00 14 00 02 a1 47 01 13 a9 fa a5 d3 f1 79 bc 25 f4 b5 be d2 b9 d9"
    "00 08 00 14 a3 82 95 4e 4b e6 7b f1 17 84 c9 7c 82 92 c2 75 bf e3 ed 41"
    "80 28 00 04 c8 fb 0b 4c");
const char* kPassword = "VOkJxbRl1RmTxUk/WvJxBt";

}  // namespace

TEST(StunMessage, Rfc5769SampleRequest) {
  auto m = StunCodec::parse(kRequest);
  ASSERT_TRUE(m);
  EXPECT_EQ(m->method, 1);
  EXPECT_EQ(m->cls, Class::Request);
  EXPECT_TRUE(m->fingerprintValid);
  ASSERT_TRUE(m->find(Username));
  EXPECT_EQ(m->find(Username)->value, "evtj:h6vY");
  EXPECT_TRUE(m->integrityValid(kPassword));
  EXPECT_FALSE(m->integrityValid("wrong"));
}

TEST(StunMessage, Rfc5769Ipv4Response) {
  auto m = StunCodec::parse(kIpv4Response);
  ASSERT_TRUE(m);
  EXPECT_EQ(m->cls, Class::Success);
  EXPECT_TRUE(m->fingerprintValid);
  EXPECT_TRUE(m->integrityValid(kPassword));
  auto a = m->xorMappedAddress();
  ASSERT_TRUE(a);
  EXPECT_FALSE(a->ipv6);
  EXPECT_EQ(a->port, 32853);
  EXPECT_EQ(a->bytes[0], 192);
  EXPECT_EQ(a->bytes[1], 0);
  EXPECT_EQ(a->bytes[2], 2);
  EXPECT_EQ(a->bytes[3], 1);
}

TEST(StunMessage, Rfc5769Ipv6Response) {
  auto m = StunCodec::parse(kIpv6Response);
  ASSERT_TRUE(m);
  EXPECT_TRUE(m->fingerprintValid);
  EXPECT_TRUE(m->integrityValid(kPassword));
  auto a = m->xorMappedAddress();
  ASSERT_TRUE(a);
  EXPECT_TRUE(a->ipv6);
  EXPECT_EQ(a->port, 32853);
  const std::uint8_t expected[16] = {0x20, 0x01, 0x0d, 0xb8, 0x12, 0x34, 0x56, 0x78,
                                     0x00, 0x11, 0x22, 0x33, 0x44, 0x55, 0x66, 0x77};
  for (int i = 0; i < 16; ++i) EXPECT_EQ(a->bytes[i], expected[i]) << i;
}

TEST(StunMessage, CorruptedFingerprintIsDetected) {
  std::string bad = kRequest;
  bad[bad.size() - 1] ^= 1;
  auto m = StunCodec::parse(bad);
  ASSERT_TRUE(m);
  EXPECT_FALSE(m->fingerprintValid);
  EXPECT_FALSE(StunResponder::respond(bad, Address{}));
}

TEST(StunMessage, NeverTrustsLengths) {
  // Every truncation and a lying attribute length must be rejected, not read past the end.
  for (std::size_t n = 0; n < kRequest.size(); ++n) {
    EXPECT_FALSE(StunCodec::parse(std::string_view(kRequest).substr(0, n))) << n;
  }
  std::string lying = kRequest;
  lying[22] = '\x7f';  // SOFTWARE length 0x7f10
  EXPECT_FALSE(StunCodec::parse(lying));
  EXPECT_FALSE(StunCodec::parse(std::string(20, '\0')));  // no magic cookie
  EXPECT_FALSE(StunCodec::parse("\x80" + kRequest.substr(1)));  // top bits set: not STUN
}

TEST(StunResponder, BindingSuccessCarriesTheSourceAddress) {
  std::string request = hex("00 01 00 00 21 12 a4 42 01 02 03 04 05 06 07 08 09 0a 0b 0c");
  Address from;
  from.bytes = {127, 0, 0, 1};
  from.port = 54321;
  auto reply = StunResponder::respond(request, from);
  ASSERT_TRUE(reply);
  auto m = StunCodec::parse(*reply);
  ASSERT_TRUE(m);
  EXPECT_EQ(m->cls, Class::Success);
  EXPECT_TRUE(m->fingerprintValid);
  ASSERT_TRUE(m->find(Fingerprint));
  EXPECT_EQ(m->transactionId[0], 1);
  auto a = m->xorMappedAddress();
  ASSERT_TRUE(a);
  EXPECT_EQ(a->port, 54321);
  EXPECT_EQ(a->bytes[0], 127);
  EXPECT_EQ(a->bytes[3], 1);
}

TEST(StunResponder, RefusesUnknownRequiredAttributesAndMethods) {
  std::string unknownAttr =
      hex("00 01 00 08 21 12 a4 42 01 02 03 04 05 06 07 08 09 0a 0b 0c 00 7f 00 04 00 00 00 00");
  auto reply = StunResponder::respond(unknownAttr, Address{});
  ASSERT_TRUE(reply);
  auto m = StunCodec::parse(*reply);
  ASSERT_TRUE(m);
  EXPECT_EQ(m->cls, Class::Error);
  ASSERT_TRUE(m->find(ErrorCode));
  EXPECT_EQ(m->find(ErrorCode)->value[2], 4);
  EXPECT_EQ(m->find(ErrorCode)->value[3], 20);

  std::string allocate = hex("00 03 00 00 21 12 a4 42 01 02 03 04 05 06 07 08 09 0a 0b 0c");
  auto r2 = StunCodec::parse(*StunResponder::respond(allocate, Address{}));
  ASSERT_TRUE(r2);
  EXPECT_EQ(r2->cls, Class::Error);
  EXPECT_EQ(r2->method, 3);

  std::string indication = hex("00 11 00 00 21 12 a4 42 01 02 03 04 05 06 07 08 09 0a 0b 0c");
  EXPECT_FALSE(StunResponder::respond(indication, Address{}));
}
