// SctpAssociation: two associations of the real usrsctp stack joined by queues (the packets a
// DTLS transport would carry), a client that opens channels as a browser does (DCEP) and the
// server side the SFU runs.
#include <gtest/gtest.h>

#include <deque>
#include <string>
#include <vector>

#include "codec/DcepMessage.hpp"
#include "media/SctpAssociation.hpp"
#include "media/SctpStack.hpp"

namespace aerie {
namespace {

using Bytes = std::vector<std::uint8_t>;

struct End : SctpAssociation::Listener {
  std::deque<Bytes> out;
  std::vector<SctpAssociation::State> states;
  std::vector<std::pair<std::uint16_t, std::string>> opened;
  std::vector<std::pair<std::uint16_t, std::string>> messages;
  std::vector<bool> binary;
  std::vector<std::uint16_t> closed;
  void onSctpSend(std::span<const std::uint8_t> p) override { out.emplace_back(p.begin(), p.end()); }
  void onSctpState(SctpAssociation::State s) override { states.push_back(s); }
  void onChannelOpen(std::uint16_t stream, std::string_view label) override { opened.emplace_back(stream, label); }
  void onChannelMessage(std::uint16_t stream, bool b, std::span<const std::uint8_t> d) override {
    messages.emplace_back(stream, std::string(d.begin(), d.end()));
    binary.push_back(b);
  }
  void onChannelClosed(std::uint16_t stream) override { closed.push_back(stream); }
};

std::span<const std::uint8_t> bytes(std::string_view s) {
  return {reinterpret_cast<const std::uint8_t*>(s.data()), s.size()};
}

class SctpAssociationTest : public ::testing::Test {
 protected:
  SctpAssociationTest() : client_(clientLimits_, clientEnd_), server_(limits_, serverEnd_) {}

  // Carries packets both ways until both ends are quiet.
  void pump() {
    for (int round = 0; round < 200; ++round) {
      if (clientEnd_.out.empty() && serverEnd_.out.empty()) return;
      auto toServer = std::move(clientEnd_.out);
      clientEnd_.out.clear();
      for (auto& p : toServer) server_.receive(p);
      auto toClient = std::move(serverEnd_.out);
      serverEnd_.out.clear();
      for (auto& p : toClient) client_.receive(p);
    }
  }

  void connect() {
    client_.start();
    server_.start();
    pump();
  }

  Limits limits_;        // the server's
  Limits clientLimits_;
  End clientEnd_, serverEnd_;
  SctpAssociation client_;
  SctpAssociation server_;
};

TEST_F(SctpAssociationTest, BothEndsConnect) {
  connect();
  EXPECT_EQ(client_.state(), SctpAssociation::State::Connected);
  EXPECT_EQ(server_.state(), SctpAssociation::State::Connected);
  ASSERT_FALSE(serverEnd_.states.empty());
  EXPECT_EQ(serverEnd_.states.back(), SctpAssociation::State::Connected);
}

TEST_F(SctpAssociationTest, AChannelOpensAndCarriesMessagesBothWays) {
  connect();
  ASSERT_TRUE(client_.openChannel(0, "main"));
  pump();
  ASSERT_EQ(serverEnd_.opened.size(), 1u);
  EXPECT_EQ(serverEnd_.opened[0].first, 0);
  EXPECT_EQ(serverEnd_.opened[0].second, "main");
  EXPECT_TRUE(server_.isOpen(0));

  ASSERT_TRUE(client_.send(0, false, bytes(R"({"type":"MESSAGE"})")));
  pump();
  ASSERT_EQ(serverEnd_.messages.size(), 1u);
  EXPECT_EQ(serverEnd_.messages[0].second, R"({"type":"MESSAGE"})");
  EXPECT_FALSE(serverEnd_.binary[0]);

  ASSERT_TRUE(server_.send(0, true, bytes("\x01\x02")));
  ASSERT_TRUE(server_.send(0, false, bytes("")));  // an empty message has its own PPID
  pump();
  ASSERT_EQ(clientEnd_.messages.size(), 2u);
  EXPECT_EQ(clientEnd_.messages[0].second, "\x01\x02");
  EXPECT_TRUE(clientEnd_.binary[0]);
  EXPECT_EQ(clientEnd_.messages[1].second, "");
  EXPECT_EQ(server_.counters().messagesIn, 1u);
  EXPECT_EQ(server_.counters().messagesOut, 2u);
}

TEST_F(SctpAssociationTest, AMessageInManyPacketsArrivesWhole) {
  connect();
  ASSERT_TRUE(client_.openChannel(2, "file"));
  pump();
  std::string big(40000, 'x');
  for (std::size_t i = 0; i < big.size(); i += 997) big[i] = static_cast<char>('a' + i % 26);
  ASSERT_TRUE(client_.send(2, false, bytes(big)));
  pump();
  ASSERT_EQ(serverEnd_.messages.size(), 1u);
  EXPECT_EQ(serverEnd_.messages[0].second, big);
}

TEST_F(SctpAssociationTest, AMessageOverTheLimitIsDroppedAndCounted) {
  limits_.maxDataMessageBytes = 1000;
  connect();
  ASSERT_TRUE(client_.openChannel(0, "main"));
  pump();
  const std::string big(5000, 'y');
  EXPECT_TRUE(client_.send(0, false, bytes(big)));  // the client's own limit is higher
  EXPECT_TRUE(client_.send(0, false, bytes("small")));
  pump();
  ASSERT_EQ(serverEnd_.messages.size(), 1u);  // the big one was dropped, the next one is whole
  EXPECT_EQ(serverEnd_.messages[0].second, "small");
  EXPECT_EQ(server_.counters().dropped, 1u);
  EXPECT_FALSE(server_.send(0, false, bytes(big)));  // and the server sends none either
  EXPECT_EQ(server_.counters().dropped, 2u);
}

TEST_F(SctpAssociationTest, ChannelsOverTheLimitAreRefused) {
  limits_.maxDataChannelsPerTransport = 2;
  connect();
  ASSERT_TRUE(client_.openChannel(0, "main"));
  ASSERT_TRUE(client_.openChannel(2, "a"));
  ASSERT_TRUE(client_.openChannel(4, "b"));
  pump();
  EXPECT_EQ(serverEnd_.opened.size(), 2u);
  EXPECT_FALSE(server_.isOpen(4));
  EXPECT_EQ(server_.counters().refusedChannels, 1u);
  // The refusal resets the stream: the client hears its channel closed.
  ASSERT_EQ(clientEnd_.closed.size(), 1u);
  EXPECT_EQ(clientEnd_.closed[0], 4);
}

TEST_F(SctpAssociationTest, AnEmptyLabelIsAChannelAndAStreamInUseIsRefused) {
  connect();
  ASSERT_TRUE(client_.openChannel(0, "main"));
  ASSERT_TRUE(client_.openChannel(6, ""));
  pump();
  EXPECT_EQ(serverEnd_.opened.size(), 2u);
  EXPECT_EQ(server_.counters().dropped, 0u);
  EXPECT_FALSE(client_.openChannel(6, "again"));  // a stream in use
}

TEST_F(SctpAssociationTest, CloseAbortsThePeer) {
  connect();
  server_.close();
  pump();
  EXPECT_EQ(server_.state(), SctpAssociation::State::Closed);
  EXPECT_EQ(client_.state(), SctpAssociation::State::Closed);
  EXPECT_FALSE(server_.send(0, false, bytes("x")));
}

TEST_F(SctpAssociationTest, GarbageIsIgnored) {
  connect();
  Bytes junk = {0x13, 0x88, 0x13, 0x88, 1, 2, 3, 4, 0, 0, 0, 0, 0xff, 0xff};
  server_.receive(junk);
  server_.receive(Bytes{});
  server_.receive(Bytes(3000, 0xAB));
  pump();
  EXPECT_EQ(server_.state(), SctpAssociation::State::Connected);
  ASSERT_TRUE(client_.openChannel(0, "main"));
  pump();
  EXPECT_EQ(serverEnd_.opened.size(), 1u);
}

TEST_F(SctpAssociationTest, TimersRunFromAnyCaller) {
  connect();
  // Nothing is lost here; the timers just must not disturb a quiet association.
  SctpStack::instance().handleTimers(SctpStack::Clock::now() + std::chrono::seconds(1));
  client_.tick();
  server_.tick();
  pump();
  EXPECT_EQ(server_.state(), SctpAssociation::State::Connected);
}

}  // namespace
}  // namespace aerie
