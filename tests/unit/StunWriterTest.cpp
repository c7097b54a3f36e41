// StunWriter reproduces the RFC 5769 test vectors byte for byte, and refuses to overrun.
#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "codec/StunWriter.hpp"

using namespace aerie::stun;

namespace {

std::string hex(const char* text) {
  std::string out;
  int nibble = -1;
  for (const char* p = text; *p; ++p) {
    int v = (*p >= '0' && *p <= '9') ? *p - '0' : (*p >= 'a' && *p <= 'f') ? *p - 'a' + 10 : -1;
    if (v < 0) continue;
    if (nibble < 0)
      nibble = v;
    else {
      out += static_cast<char>(nibble * 16 + v);
      nibble = -1;
    }
  }
  return out;
}

std::string text(std::span<const std::uint8_t> b) {
  return {reinterpret_cast<const char*>(b.data()), b.size()};
}

// RFC 5769 sections 2.1-2.3.
const std::string kRequest =
    hex("00 01 00 58 21 12 a4 42 b7 e7 a7 01 bc 34 d6 86 fa 87 df ae"
        "80 22 00 10 53 54 55 4e 20 74 65 73 74 20 63 6c 69 65 6e 74"
        "00 24 00 04 6e 00 01 ff 80 29 00 08 93 2f f9 b1 51 26 3b 36"
        "00 06 00 09 65 76 74 6a 3a 68 36 76 59 20 20 20"
        "00 08 00 14 9a ea a7 0c bf d8 cb 56 78 1e f2 b5 b2 d3 f2 49 c1 b5 71 a2"
        "80 28 00 04 e5 7a 3b cf");
const std::string kIpv4Response =
    hex("01 01 00 3c 21 12 a4 42 b7 e7 a7 01 bc 34 d6 86 fa 87 df ae"
        "80 22 00 0b 74 65 73 74 20 76 65 63 74 6f 72 20"
        "00 20 00 08 00 01 a1 47 e1 12 a6 43"
        "00 08 00 14 2b 91 f5 99 fd 9e 90 c3 8c 74 89 f9 2a f9 ba 53 f0 6b e7 d7"
        "80 28 00 04 c0 7d 4c 96");
const std::string kIpv6Response =
    hex("01 01 00 48 21 12 a4 42 b7 e7 a7 01 bc 34 d6 86 fa 87 df ae"
        "80 22 00 0b 74 65 73 74 20 76 65 63 74 6f 72 20"
        "00 20 00 14 00 02 a1 47 01 13 a9 fa a5 d3 f1 79 bc 25 f4 b5 be d2 b9 d9"
        "00 08 00 14 a3 82 95 4e 4b e6 7b f1 17 84 c9 7c 82 92 c2 75 bf e3 ed 41"
        "80 28 00 04 c8 fb 0b 4c");
const char* kPassword = "VOkJxbRl1RmTxUk/WvJxBt";
const std::array<std::uint8_t, 12> kTid{0xb7, 0xe7, 0xa7, 0x01, 0xbc, 0x34,
                                        0xd6, 0x86, 0xfa, 0x87, 0xdf, 0xae};

// The vectors pad with spaces where the writer pads with zeros (padding may be anything,
// RFC 8489 section 14, but MESSAGE-INTEGRITY covers it): the test puts the spaces back.
void spacePad(std::vector<std::uint8_t>& buf, std::size_t from, std::size_t to) {
  for (std::size_t i = from; i < to; ++i) buf[i] = ' ';
}

std::vector<std::uint8_t> response(const Address& mapped) {
  std::vector<std::uint8_t> buf(200);
  StunWriter w(buf, 1, Class::Success, kTid);
  w.add(Software, "test vector");
  spacePad(buf, 20 + 4 + 11, 20 + 4 + 12);
  w.addXorMappedAddress(mapped);
  w.addMessageIntegrity(kPassword);
  w.addFingerprint();
  EXPECT_TRUE(w.ok());
  buf.resize(w.bytes().size());
  return buf;
}

}  // namespace

TEST(StunWriter, Rfc5769SampleRequest) {
  std::vector<std::uint8_t> buf(200);
  StunWriter w(buf, 1, Class::Request, kTid);
  w.add(Software, "STUN test client");
  w.addUint32(Priority, 0x6e0001ff);
  w.add(IceControlled, hex("93 2f f9 b1 51 26 3b 36"));
  w.add(Username, "evtj:h6vY");
  const std::size_t userEnd = w.bytes().size();
  spacePad(buf, userEnd - 3, userEnd);
  w.addMessageIntegrity(kPassword);
  w.addFingerprint();
  ASSERT_TRUE(w.ok());
  EXPECT_EQ(text(w.bytes()), kRequest);
}

TEST(StunWriter, Rfc5769Ipv4Response) {
  Address a;
  a.bytes = {192, 0, 2, 1};
  a.port = 32853;
  EXPECT_EQ(text(response(a)), kIpv4Response);
}

TEST(StunWriter, Rfc5769Ipv6Response) {
  Address a;
  a.ipv6 = true;
  a.bytes = {0x20, 0x01, 0x0d, 0xb8, 0x12, 0x34, 0x56, 0x78,
             0x00, 0x11, 0x22, 0x33, 0x44, 0x55, 0x66, 0x77};
  a.port = 32853;
  EXPECT_EQ(text(response(a)), kIpv6Response);
}

TEST(StunWriter, WhatItWritesParsesBack) {
  std::vector<std::uint8_t> buf(128);
  StunWriter w(buf, 1, Class::Request, kTid);
  w.add(Username, "abc:de");
  w.addUint32(Priority, 7);
  w.add(UseCandidate, "");
  w.addMessageIntegrity("pw");
  w.addFingerprint();
  ASSERT_TRUE(w.ok());
  const std::string wire = text(w.bytes());  // the parsed view points into it
  auto m = StunCodec::parse(wire);
  ASSERT_TRUE(m);
  EXPECT_TRUE(m->fingerprintValid);
  EXPECT_TRUE(m->integrityValid("pw"));
  EXPECT_TRUE(m->find(UseCandidate));
  EXPECT_EQ(m->find(Username)->value, "abc:de");
}

TEST(StunWriter, NeverWritesPastTheBuffer) {
  for (std::size_t size = 0; size < 90; ++size) {
    std::vector<std::uint8_t> buf(size + 8, 0xEE);
    StunWriter w(std::span<std::uint8_t>(buf).first(size), 1, Class::Success, kTid);
    Address a;
    a.ipv6 = true;
    w.addXorMappedAddress(a);
    w.addMessageIntegrity("pw");
    w.addFingerprint();
    // Header 20 + address 24 + integrity 24 + fingerprint 8.
    EXPECT_EQ(w.ok(), size >= 76) << size;
    if (!w.ok()) {
      EXPECT_TRUE(w.bytes().empty());
    }
    for (std::size_t i = size; i < buf.size(); ++i) ASSERT_EQ(buf[i], 0xEE) << size;
  }
}
