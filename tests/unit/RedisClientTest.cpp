// RedisClient and ClusterNode against a real redis-server (TestRedis.hpp).
#include "cluster/RedisClient.hpp"

#include <gtest/gtest.h>

#include <atomic>
#include <chrono>
#include <future>
#include <thread>

#include "TestRedis.hpp"
#include "cluster/ClusterNode.hpp"

using aerie::ClusterNode;
using aerie::ClusterOptions;
using aerie::RedisClient;
using aerie::RoomHome;
using aerie::test::TestRedis;
using State = RedisClient::State;

namespace {

#define NEED_REDIS()                                                        \
  if (!TestRedis::installed()) GTEST_SKIP() << "redis-server not installed"

RedisClient::Options optionsFor(std::uint16_t port, std::string password = {}) {
  RedisClient::Options o;
  o.port = port;
  o.password = std::move(password);
  o.commandTimeoutMs = 300;
  o.connectTimeoutMs = 500;
  o.reconnectMinMs = 20;
  o.reconnectMaxMs = 100;
  return o;
}

bool waitFor(const std::function<bool()>& cond, int ms = 3000) {
  for (int i = 0; i < ms / 10; ++i) {
    if (cond()) return true;
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
  }
  return cond();
}

// Starts `client`; true once it is ready.
bool startReady(RedisClient& client) {
  client.start();
  return waitFor([&] { return client.state() == State::Ready; });
}

}  // namespace

TEST(RedisClient, PipelinesCommandsInOrder) {
  NEED_REDIS();
  TestRedis redis;
  RedisClient client(optionsFor(redis.port()));
  ASSERT_TRUE(startReady(client));
  // Many commands from two threads at once: each thread's replies come in its own order.
  std::atomic<int> bad{0};
  auto burst = [&](const std::string& key) {
    std::vector<std::future<RedisClient::Reply>> replies;
    for (int i = 0; i < 500; ++i) {
      auto p = std::make_shared<std::promise<RedisClient::Reply>>();
      replies.push_back(p->get_future());
      client.send({"INCR", key}, [p](RedisClient::Reply r) { p->set_value(std::move(r)); });
    }
    for (int i = 0; i < 500; ++i) {
      auto r = replies[i].get();
      if (!r.ok || r.value.integer != i + 1) ++bad;
    }
  };
  std::thread a(burst, "a"), b(burst, "b");
  a.join();
  b.join();
  EXPECT_EQ(bad.load(), 0);
  auto err = client.call({"NOSUCHCOMMAND"});
  EXPECT_TRUE(err.ok);
  EXPECT_TRUE(err.value.isError());
  EXPECT_EQ(client.call({"GET", "a"}).value.string(), "500");
}

TEST(RedisClient, AuthenticatesWithThePasswordAndReportsARefusalWithoutIt) {
  NEED_REDIS();
  TestRedis redis("s3cret-pass");
  RedisClient good(optionsFor(redis.port(), "s3cret-pass"));
  ASSERT_TRUE(startReady(good));
  EXPECT_EQ(good.call({"PING"}).value.string(), "PONG");

  RedisClient wrong(optionsFor(redis.port(), "wrong-pass"));
  wrong.start();
  ASSERT_TRUE(waitFor([&] { return !wrong.lastError().empty(); }));
  EXPECT_NE(wrong.state(), State::Ready);
  EXPECT_NE(wrong.lastError().find("AUTH refused"), std::string::npos) << wrong.lastError();
  EXPECT_EQ(wrong.lastError().find("wrong-pass"), std::string::npos);  // never the secret
  const auto r = wrong.call({"PING"});
  EXPECT_FALSE(r.ok);
  EXPECT_EQ(r.error.find("wrong-pass"), std::string::npos);
}

TEST(RedisClient, FailsAtOnceWhileDownAndReconnectsWhenRedisIsBack) {
  NEED_REDIS();
  auto redis = std::make_unique<TestRedis>();
  const auto port = redis->port();
  RedisClient client(optionsFor(port));
  ASSERT_TRUE(startReady(client));
  redis->stop();
  ASSERT_TRUE(waitFor([&] { return client.state() != State::Ready; }));
  const auto started = std::chrono::steady_clock::now();
  const auto r = client.call({"PING"});
  EXPECT_FALSE(r.ok);
  EXPECT_NE(r.error.find("redis"), std::string::npos);
  EXPECT_LT(std::chrono::steady_clock::now() - started, std::chrono::milliseconds(100));
  redis = std::make_unique<TestRedis>(std::string(), port);
  ASSERT_TRUE(waitFor([&] { return client.state() == State::Ready; }));
  EXPECT_EQ(client.call({"PING"}).value.string(), "PONG");
  EXPECT_GE(client.connects(), 2u);
}

TEST(RedisClient, AHungServerTimesOutTheCommandAndDropsTheConnection) {
  NEED_REDIS();
  TestRedis redis;
  RedisClient client(optionsFor(redis.port()));
  ASSERT_TRUE(startReady(client));
  redis.pause();  // SIGSTOP: the socket stays open, nothing answers
  const auto r = client.call({"PING"});
  EXPECT_FALSE(r.ok);
  EXPECT_NE(client.state(), State::Ready);
  redis.resume();
  ASSERT_TRUE(waitFor([&] { return client.state() == State::Ready; }));
}

namespace {

ClusterOptions nodeOptions(const std::string& id, std::uint16_t port) {
  ClusterOptions o;
  o.nodeId = id;
  o.publicHost = "127.0.0.1";
  o.publicPort = port;
  o.aliveTtlMs = 300;
  o.heartbeatMs = 100;
  o.roomTtlMs = 5000;
  o.roomRefreshMs = 1000;
  return o;
}

}  // namespace

TEST(ClusterNode, ARoomHasOneOwnerAndMovesWhenTheOwnerLapses) {
  NEED_REDIS();
  TestRedis redis;
  RedisClient ra(optionsFor(redis.port())), rb(optionsFor(redis.port()));
  ClusterNode a(ra, nodeOptions("a", 1001)), b(rb, nodeOptions("b", 1002));
  a.start();
  b.start();
  ASSERT_TRUE(waitFor([&] { return a.liveNodes().size() == 2 && b.liveNodes().size() == 2; }));
  // Whoever places it, every node then names the same owner.
  const RoomHome first = a.place("room1");
  ASSERT_EQ(first.status, RoomHome::Status::Ok) << first.error;
  for (int i = 0; i < 10; ++i) {
    EXPECT_EQ(a.place("room1").node.id, first.node.id);
    EXPECT_EQ(b.place("room1").node.id, first.node.id);
  }
  ClusterNode& owner = first.node.id == "a" ? a : b;
  ClusterNode& other = first.node.id == "a" ? b : a;
  RedisClient& ownerRedis = first.node.id == "a" ? ra : rb;
  EXPECT_EQ(owner.claimHere("room1").status, RoomHome::Status::Ok);
  EXPECT_EQ(other.claimHere("room1").status, RoomHome::Status::Elsewhere);
  EXPECT_EQ(first.node.port, first.node.id == "a" ? 1001 : 1002);
  owner.peerJoined("room1");
  // The owner's connection dies (as with kill -9): its node key lapses, the room moves.
  ownerRedis.stop();
  ASSERT_TRUE(waitFor([&] { return other.claimHere("room1").status == RoomHome::Status::Ok; }, 2000));
  EXPECT_EQ(other.place("room1").node.id, other.nodeId());
}

TEST(ClusterNode, AnEmptiedRoomIsReleasedAndADrainedNodeTakesNoRooms) {
  NEED_REDIS();
  TestRedis redis;
  RedisClient ra(optionsFor(redis.port())), rb(optionsFor(redis.port())), probe(optionsFor(redis.port()));
  ClusterNode a(ra, nodeOptions("a", 1001)), b(rb, nodeOptions("b", 1002));
  a.start();
  b.start();
  probe.start();
  ASSERT_TRUE(waitFor([&] { return a.liveNodes().size() == 2 && probe.state() == State::Ready; }));
  ASSERT_EQ(a.claimHere("r").status, RoomHome::Status::Ok);
  a.peerJoined("r");
  a.peerJoined("r");
  a.peerLeft("r");
  EXPECT_FALSE(probe.call({"GET", "aerie:room:r"}).value.isNil());
  a.peerLeft("r");
  ASSERT_TRUE(waitFor([&] { return probe.call({"GET", "aerie:room:r"}).value.isNil(); }));
  a.drain();
  EXPECT_EQ(a.claimHere("new").status, RoomHome::Status::Draining);
  ASSERT_TRUE(waitFor([&] { return probe.call({"GET", "aerie:node:a"}).value.isNil(); }));
  for (int i = 0; i < 10; ++i) EXPECT_EQ(a.place("x" + std::to_string(i)).node.id, "b");
}

TEST(ClusterNode, WithoutRedisKeepsItsRoomsAndRefusesNewOnes) {
  NEED_REDIS();
  auto redis = std::make_unique<TestRedis>();
  const auto port = redis->port();
  RedisClient ra(optionsFor(port)), rb(optionsFor(port));
  ClusterNode a(ra, nodeOptions("a", 1001)), b(rb, nodeOptions("b", 1002));
  struct Lost : ClusterNode::Listener {
    std::atomic<int> count{0};
    void onRoomLost(const std::string&, const aerie::NodeAddress&) override { ++count; }
  } lostA, lostB;
  a.setListener(&lostA);
  b.setListener(&lostB);
  a.start();
  b.start();
  ASSERT_TRUE(waitFor([&] { return a.liveNodes().size() == 2; }));
  ASSERT_EQ(a.claimHere("kept").status, RoomHome::Status::Ok);
  a.peerJoined("kept");
  redis->stop();
  ASSERT_TRUE(waitFor([&] { return ra.state() != State::Ready; }));
  EXPECT_TRUE(a.place("kept").here);
  const auto refused = a.place("fresh");
  EXPECT_EQ(refused.status, RoomHome::Status::Unavailable);
  EXPECT_NE(refused.error.find("unreachable"), std::string::npos);
  // Redis comes back empty: the owner re-asserts its room before anyone else can take it.
  redis = std::make_unique<TestRedis>(std::string(), port);
  ASSERT_TRUE(waitFor([&] { return ra.state() == State::Ready && rb.state() == State::Ready; }));
  ASSERT_TRUE(waitFor([&] { return b.place("kept").node.id == "a"; }));
  EXPECT_EQ(b.claimHere("kept").status, RoomHome::Status::Elsewhere);
  EXPECT_EQ(lostA.count.load() + lostB.count.load(), 0);
}

TEST(ClusterNode, ParsesNodeValues) {
  aerie::NodeAddress n;
  std::string epoch;
  ASSERT_TRUE(ClusterNode::parseNodeValue("ep0 10.0.0.1 8443 12", n, epoch));
  EXPECT_EQ(epoch, "ep0");
  EXPECT_EQ(n.host, "10.0.0.1");
  EXPECT_EQ(n.port, 8443);
  EXPECT_EQ(n.rooms, 12u);
  EXPECT_FALSE(ClusterNode::parseNodeValue("ep0 host 0 1", n, epoch));
  EXPECT_FALSE(ClusterNode::parseNodeValue("ep0 host 70000 1", n, epoch));
  EXPECT_FALSE(ClusterNode::parseNodeValue("ep0 host 80", n, epoch));
  EXPECT_FALSE(ClusterNode::parseNodeValue("ep0 host 80 1 extra", n, epoch));
}
