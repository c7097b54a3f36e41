#include "engineio/EngineIoSession.hpp"

#include <gtest/gtest.h>

using aerie::EioVersion;
using aerie::EngineIoSession;

namespace {

struct RecordingListener : aerie::SessionListener {
  int opens = 0, closes = 0;
  std::vector<std::string> messages;
  void onOpen(const std::shared_ptr<EngineIoSession>&) override { ++opens; }
  void onMessage(const std::shared_ptr<EngineIoSession>&, std::string json) override {
    messages.push_back(std::move(json));
  }
  void onUnusableEvent(const std::shared_ptr<EngineIoSession>&, aerie::SioEventKind kind) override {
    unusable.push_back(kind);
  }
  void onClose(const std::shared_ptr<EngineIoSession>&) override { ++closes; }
  std::vector<aerie::SioEventKind> unusable;
};

std::vector<std::string> texts(const std::vector<std::shared_ptr<const std::string>>& v) {
  std::vector<std::string> out;
  for (const auto& p : v) out.push_back(*p);
  return out;
}

struct Fixture : ::testing::Test {
  aerie::Limits limits;
  RecordingListener listener;
  std::shared_ptr<EngineIoSession> make(EioVersion v) {
    return std::make_shared<EngineIoSession>("sid1", v, EngineIoSession::Transport::WebSocket,
                                             limits, listener, 0);
  }
};

}  // namespace

TEST_F(Fixture, V3PushesConnectAndAnswersPings) {
  auto s = make(EioVersion::V3);
  s->start(false);
  auto out = texts(s->drain());
  ASSERT_EQ(out.size(), 2u);
  EXPECT_EQ(out[0].substr(0, 9), "0{\"sid\":\"");
  EXPECT_EQ(out[1], "40");
  EXPECT_EQ(listener.opens, 1);
  EXPECT_TRUE(s->receive("2", 10));
  EXPECT_EQ(texts(s->drain()), std::vector<std::string>{"3"});
  EXPECT_TRUE(s->receive("2probe", 10));
  EXPECT_EQ(texts(s->drain()), std::vector<std::string>{"3probe"});
}

TEST_F(Fixture, V4WaitsForClientConnect) {
  auto s = make(EioVersion::V4);
  s->start(false);
  EXPECT_EQ(s->drain().size(), 1u);
  EXPECT_EQ(listener.opens, 0);
  EXPECT_TRUE(s->receive("42[\"message\",\"{}\"]", 1));  // before connect: ignored
  EXPECT_TRUE(listener.messages.empty());
  EXPECT_TRUE(s->receive("40", 1));
  EXPECT_EQ(texts(s->drain()), std::vector<std::string>{"40{\"sid\":\"sid1\"}"});
  EXPECT_EQ(listener.opens, 1);
  EXPECT_TRUE(s->receive("42[\"message\",\"{\\\"type\\\":\\\"x\\\"}\"]", 2));
  ASSERT_EQ(listener.messages.size(), 1u);
  EXPECT_EQ(listener.messages[0], "{\"type\":\"x\"}");
  // SkylinkJS 0.5.x sends an object argument: the message is its JSON text.
  EXPECT_TRUE(s->receive("42[\"message\",{\"type\":\"group\",\"lists\":[]}]", 3));
  ASSERT_EQ(listener.messages.size(), 2u);
  EXPECT_EQ(listener.messages[1], "{\"type\":\"group\",\"lists\":[]}");
  EXPECT_TRUE(listener.unusable.empty());
}

TEST_F(Fixture, BadPacketsAskToClose) {
  auto s = make(EioVersion::V3);
  s->start(false);
  for (const char* bad : {"", "9", "x", "4", "41", "1"}) EXPECT_FALSE(s->receive(bad, 1)) << bad;
  EXPECT_FALSE(s->receive(std::string(limits.maxFrameBytes + 1, '4'), 1));
  // Other events and namespaces are not fatal; events without a message are reported, so the
  // Hub counts them.
  EXPECT_TRUE(s->receive("42[\"other\",1]", 1));
  EXPECT_TRUE(s->receive("42[\"message\",7]", 1));
  EXPECT_TRUE(s->receive("42[\"message\"", 1));
  EXPECT_TRUE(s->receive("42/admin,[\"message\",\"{}\"]", 1));
  EXPECT_TRUE(listener.messages.empty());
  EXPECT_EQ(listener.unusable, (std::vector<aerie::SioEventKind>{aerie::SioEventKind::OtherEvent,
                                                                 aerie::SioEventKind::BadArgument,
                                                                 aerie::SioEventKind::Malformed}));
}

TEST_F(Fixture, SlowReaderIsDroppedNotBuffered) {
  limits.maxWriteQueueBytes = 100;
  auto s = make(EioVersion::V3);
  auto big = std::make_shared<const std::string>(std::string(60, 'x'));
  s->send(big);
  EXPECT_EQ(s->state(), EngineIoSession::State::Open);
  s->send(big);
  EXPECT_EQ(s->state(), EngineIoSession::State::Closing);
  EXPECT_TRUE(s->drain().empty());
  s->send(big);  // nothing queued after closing
  EXPECT_TRUE(s->drain().empty());
}

TEST_F(Fixture, WakerFiresOnSendAndClose) {
  auto s = make(EioVersion::V3);
  struct Counter : aerie::SessionWaker {
    int wakes = 0;
    void wake() override { ++wakes; }
  };
  auto counter = std::make_shared<Counter>();
  int& wakes = counter->wakes;
  s->setWaker(counter);
  s->send(std::make_shared<const std::string>("42[]"));
  EXPECT_EQ(wakes, 1);
  s->close();
  EXPECT_EQ(wakes, 2);
}

TEST_F(Fixture, V3TimesOutWithoutClientPings) {
  auto s = make(EioVersion::V3);
  EXPECT_TRUE(s->checkTimers(limits.pingIntervalMs + limits.pingTimeoutMs));
  EXPECT_FALSE(s->checkTimers(limits.pingIntervalMs + limits.pingTimeoutMs + 1));
}

TEST_F(Fixture, V4ServerPingsAndTimesOutWithoutPong) {
  auto s = make(EioVersion::V4);
  std::int64_t t = limits.pingIntervalMs;
  EXPECT_TRUE(s->checkTimers(t));
  EXPECT_EQ(texts(s->drain()), std::vector<std::string>{"2"});
  EXPECT_TRUE(s->receive("3", t + 5));
  EXPECT_TRUE(s->checkTimers(t + limits.pingTimeoutMs + 10));  // answered: no timeout
  t *= 2;
  EXPECT_TRUE(s->checkTimers(t));  // the next ping
  EXPECT_FALSE(s->checkTimers(t + limits.pingTimeoutMs + 1));
}

TEST_F(Fixture, CloseIsReportedOnce) {
  auto s = make(EioVersion::V3);
  s->markClosed();
  s->markClosed();
  EXPECT_EQ(listener.closes, 1);
  EXPECT_EQ(s->state(), EngineIoSession::State::Closed);
}

TEST_F(Fixture, DrainIntoTradesVectors) {
  auto s = make(EioVersion::V4);
  std::vector<std::shared_ptr<const std::string>> out{std::make_shared<const std::string>("old")};
  s->send(std::make_shared<const std::string>("42[\"a\"]"));
  s->send(std::make_shared<const std::string>("42[\"b\"]"));
  s->drainInto(out);  // emptied first, then filled
  EXPECT_EQ(texts(out), (std::vector<std::string>{"42[\"a\"]", "42[\"b\"]"}));
  s->drainInto(out);
  EXPECT_TRUE(out.empty());
}
