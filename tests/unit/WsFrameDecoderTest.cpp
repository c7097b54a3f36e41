#include "codec/WsFrameDecoder.hpp"

#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "codec/WsFrameHeader.hpp"

using namespace aerie;
using Kind = WsFrameDecoder::Kind;
using Status = WsFrameDecoder::Status;

namespace {

// A client frame: masked with a fixed key.
std::string clientFrame(std::uint8_t firstByte, std::string_view payload, bool mask = true) {
  std::string f;
  f.push_back(static_cast<char>(firstByte));
  std::uint8_t m = mask ? 0x80 : 0;
  if (payload.size() < 126) {
    f.push_back(static_cast<char>(m | payload.size()));
  } else if (payload.size() <= 0xFFFF) {
    f.push_back(static_cast<char>(m | 126));
    f.push_back(static_cast<char>(payload.size() >> 8));
    f.push_back(static_cast<char>(payload.size() & 0xFF));
  } else {
    f.push_back(static_cast<char>(m | 127));
    for (int i = 7; i >= 0; --i) f.push_back(static_cast<char>((payload.size() >> (8 * i)) & 0xFF));
  }
  const char key[4] = {0x12, 0x34, 0x56, 0x78};
  if (mask) f.append(key, 4);
  for (std::size_t i = 0; i < payload.size(); ++i) f.push_back(static_cast<char>(payload[i] ^ (mask ? key[i & 3] : 0)));
  return f;
}

struct Collect : WsFrameDecoder::Handler {
  std::vector<std::pair<Kind, std::string>> got;
  bool stopOnClose = true;
  bool onMessage(const WsFrameDecoder::Message& m) override {
    got.emplace_back(m.kind, std::string(m.payload));
    return !(stopOnClose && m.kind == Kind::Close);
  }
};

Status feedAll(WsFrameDecoder& d, std::string bytes, Collect& c) {
  return d.feed(bytes.data(), bytes.size(), c);
}

}  // namespace

TEST(WsFrameDecoderTest, TextFramesInOneRead) {
  WsFrameDecoder d(1024);
  Collect c;
  EXPECT_EQ(feedAll(d, clientFrame(0x81, "2probe") + clientFrame(0x81, "42[\"message\",\"{}\"]"), c), Status::Ok);
  ASSERT_EQ(c.got.size(), 2u);
  EXPECT_EQ(c.got[0].second, "2probe");
  EXPECT_EQ(c.got[1].second, "42[\"message\",\"{}\"]");
  EXPECT_EQ(d.bufferedBytes(), 0u);
}

TEST(WsFrameDecoderTest, ByteByByteAcrossAllLengthForms) {
  for (std::size_t n : {0u, 1u, 125u, 126u, 65535u, 65536u, 70000u}) {
    WsFrameDecoder d(1 << 20);
    Collect c;
    std::string payload(n, 'a');
    for (std::size_t i = 0; i < n; ++i) payload[i] = static_cast<char>('a' + i % 26);
    std::string f = clientFrame(0x81, payload);
    // Split at every interesting offset: inside the header, the mask and the payload.
    for (std::size_t i = 0; i < f.size();) {
      std::size_t step = i < 16 ? 1 : 977;
      std::string part = f.substr(i, step);
      ASSERT_EQ(d.feed(part.data(), part.size(), c), Status::Ok);
      i += part.size();
    }
    ASSERT_EQ(c.got.size(), 1u) << n;
    EXPECT_EQ(c.got[0].second, payload);
    EXPECT_EQ(d.bufferedBytes(), 0u);
  }
}

TEST(WsFrameDecoderTest, FragmentsReassembledWithControlFramesBetween) {
  WsFrameDecoder d(1024);
  Collect c;
  auto in = clientFrame(0x01, "hel") + clientFrame(0x89, "p") + clientFrame(0x00, "lo ") + clientFrame(0x80, "world");
  EXPECT_EQ(feedAll(d, in, c), Status::Ok);
  ASSERT_EQ(c.got.size(), 2u);
  EXPECT_EQ(c.got[0], std::make_pair(Kind::Ping, std::string("p")));
  EXPECT_EQ(c.got[1], std::make_pair(Kind::Text, std::string("hello world")));
}

TEST(WsFrameDecoderTest, ProtocolErrors) {
  struct Case { const char* name; std::string bytes; };
  std::vector<Case> cases = {
      {"unmasked", clientFrame(0x81, "x", false)},
      {"rsv1", clientFrame(0xC1, "x")},
      {"unknown data opcode", clientFrame(0x83, "x")},
      {"unknown control opcode", clientFrame(0x8B, "x")},
      {"fragmented control", clientFrame(0x09, "x")},
      {"long control", clientFrame(0x89, std::string(126, 'x'))},
      {"continuation first", clientFrame(0x80, "x")},
      {"new message inside fragments", clientFrame(0x01, "a") + clientFrame(0x81, "b")},
      {"close with one byte", clientFrame(0x88, "x")},
      {"close with reserved code", clientFrame(0x88, WsFrameHeader::closePayload(1005))},
  };
  for (auto& tc : cases) {
    WsFrameDecoder d(1024);
    Collect c;
    EXPECT_EQ(feedAll(d, tc.bytes, c), Status::ProtocolError) << tc.name;
    EXPECT_EQ(WsFrameDecoder::closeCode(Status::ProtocolError), 1002);
    // After an error nothing more is parsed.
    EXPECT_EQ(feedAll(d, clientFrame(0x81, "later"), c), Status::ProtocolError) << tc.name;
    for (auto& g : c.got) EXPECT_NE(g.second, "later") << tc.name;
  }
}

TEST(WsFrameDecoderTest, TooBigIsRefusedFromTheHeaderAlone) {
  WsFrameDecoder d(1000);
  Collect c;
  std::string f = clientFrame(0x81, std::string(1001, 'x'));
  // Only the header and the mask: the payload never has to arrive.
  EXPECT_EQ(d.feed(f.data(), 8, c), Status::TooBig);
  EXPECT_EQ(WsFrameDecoder::closeCode(Status::TooBig), 1009);
  EXPECT_EQ(d.bufferedBytes(), 0u);
}

TEST(WsFrameDecoderTest, FragmentsCountTowardsTheLimit) {
  WsFrameDecoder d(10);
  Collect c;
  EXPECT_EQ(feedAll(d, clientFrame(0x01, "123456") + clientFrame(0x80, "789012"), c), Status::TooBig);
  EXPECT_TRUE(c.got.empty());
}

TEST(WsFrameDecoderTest, HugeSixtyFourBitLength) {
  WsFrameDecoder d(1 << 20);
  Collect c;
  std::string f("\x81\xFF\x80\x00\x00\x00\x00\x00\x00\x00" "abcd", 14);
  EXPECT_EQ(feedAll(d, f, c), Status::ProtocolError);
}

TEST(WsFrameDecoderTest, InvalidUtf8TextIsRefusedBinaryIsNot) {
  {
    WsFrameDecoder d(100);
    Collect c;
    EXPECT_EQ(feedAll(d, clientFrame(0x81, "\xC0\xAF"), c), Status::BadUtf8);
    EXPECT_EQ(WsFrameDecoder::closeCode(Status::BadUtf8), 1007);
  }
  {
    WsFrameDecoder d(100);
    Collect c;
    EXPECT_EQ(feedAll(d, clientFrame(0x82, "\xC0\xAF"), c), Status::Ok);
    ASSERT_EQ(c.got.size(), 1u);
    EXPECT_EQ(c.got[0].first, Kind::Binary);
  }
}

TEST(WsFrameDecoderTest, CloseStopsParsing) {
  WsFrameDecoder d(100);
  Collect c;
  EXPECT_EQ(feedAll(d, clientFrame(0x88, WsFrameHeader::closePayload(1000, "bye")) + clientFrame(0x81, "after"), c),
            Status::Ok);
  ASSERT_EQ(c.got.size(), 1u);
  EXPECT_EQ(c.got[0].first, Kind::Close);
  EXPECT_EQ(c.got[0].second, std::string("\x03\xE8", 2) + "bye");
}

TEST(WsFrameHeaderTest, LengthForms) {
  EXPECT_EQ(WsFrameHeader(WsFrameHeader::Text, 5).bytes(), std::string("\x81\x05", 2));
  EXPECT_EQ(WsFrameHeader(WsFrameHeader::Text, 126).bytes(), std::string("\x81\x7E\x00\x7E", 4));
  EXPECT_EQ(WsFrameHeader(WsFrameHeader::Text, 65536).bytes(),
            std::string("\x81\x7F\x00\x00\x00\x00\x00\x01\x00\x00", 10));
  EXPECT_EQ(WsFrameHeader::frame(WsFrameHeader::Close, WsFrameHeader::closePayload(1009)),
            std::string("\x88\x02\x03\xF1", 4));
}
