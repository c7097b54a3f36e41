#pragma once
// The Hub under test: sinks that record what each connection is sent, an authorizer the tests
// steer, and fixtures with joined clients. Shared by HubTest.cpp and HubPolicyTest.cpp.
#include <gtest/gtest.h>

#include <boost/json/parse.hpp>
#include <boost/json/serialize.hpp>
#include <boost/json/value.hpp>
#include <boost/json/value_to.hpp>
#include <set>
#include <stdexcept>
#include <string>
#include <vector>

#include "hub/Hub.hpp"

namespace aerie::hubtest {

namespace json = boost::json;

// Records what the Hub sends, decoded back from the Engine.IO packet `42["message","<json>"]`.
class RecordingSink : public PeerSink {
 public:
  void send(std::shared_ptr<const std::string> packet) override {
    packets.push_back(std::move(packet));
  }
  void close() override { ++closes; }

  std::vector<json::object> messages() const {
    std::vector<json::object> out;
    for (const auto& p : packets) {
      EXPECT_EQ(p->substr(0, 2), "42");
      json::value event = json::parse(p->substr(2));
      const auto& args = event.as_array();
      EXPECT_EQ(args.at(0).as_string(), "message");
      out.push_back(json::parse(args.at(1).as_string()).as_object());
    }
    return out;
  }
  std::vector<json::object> ofType(std::string_view type) const {
    std::vector<json::object> out;
    for (auto& m : messages()) {
      if (m.at("type").as_string() == type) out.push_back(std::move(m));
    }
    return out;
  }
  void clear() { packets.clear(); }

  std::vector<std::shared_ptr<const std::string>> packets;
  int closes = 0;
};

// Grants whatever the joinRoom asks for; test-only fields steer it.
class FakeAuthorizer : public JoinAuthorizer {
 public:
  JoinGrant authorize(const json::object& join, std::int64_t) override {
    ++calls;
    if (throwNext) throw std::runtime_error("store down");
    JoinGrant g;
    if (const auto* reject = join.if_contains("testReject")) {
      g.reason = json::value_to<std::string>(*reject);
      g.info = "rejected by test";
      return g;
    }
    g.ok = true;
    g.roomKey = json::value_to<std::string>(join.at("rid"));
    g.roomName = "name-" + g.roomKey;
    g.realm =
        join.contains("testRealm") ? json::value_to<std::string>(join.at("testRealm")) : "realmA";
    g.privileged = join.contains("testPrivileged");
    g.sfu = join.contains("testSfu");
    g.autoMedia = join.contains("testAuto");
    if (const auto* k = join.if_contains("testAutoSfuPeers")) g.autoSfuPeers = static_cast<std::uint32_t>(k->to_number<std::int64_t>());
    g.maxPeers = maxPeers;
    g.iceServers = iceServers;
    return g;
  }

  int calls = 0;
  bool throwNext = false;
  std::uint32_t maxPeers = 0;
  json::array iceServers =
      json::parse(R"([{"url":"turn:123@turn.example:3478?transport=udp","credential":"c",)"
                  R"("urls":["turn:turn.example:3478?transport=udp"],"username":"123"}])")
          .as_array();
};

struct Client {
  Hub::ConnId id = 0;
  std::shared_ptr<RecordingSink> sink;
  std::string sid;
};

class HubTest : public ::testing::Test {
 protected:
  HubTest() : hub_(std::make_unique<Hub>(limits_, auth_)) {}

  void rebuild() { hub_ = std::make_unique<Hub>(limits_, auth_); }

  Client connect() {
    Client c;
    c.sink = std::make_shared<RecordingSink>();
    c.id = hub_->connect(c.sink, now_);
    return c;
  }
  void send(const Client& c, std::string_view json) { hub_->onMessage(c.id, json, now_); }
  void send(const Client& c, const json::object& msg) { send(c, json::serialize(msg)); }

  // Connects and joins `rid`; extra fields go into the joinRoom.
  Client join(std::string_view rid, json::object extra = {}) {
    Client c = connect();
    rejoin(c, rid, std::move(extra));
    return c;
  }
  void rejoin(Client& c, std::string_view rid, json::object extra = {}) {
    extra["type"] = "joinRoom";
    extra["rid"] = rid;
    extra["userCred"] = "u";
    extra["roomCred"] = "r";
    send(c, extra);
    auto inRoom = c.sink->ofType("inRoom");
    c.sid = inRoom.empty() ? "" : std::string(inRoom.back().at("sid").as_string());
    c.sink->clear();
  }
  std::uint64_t dropped(const char* reason) const {
    auto s = hub_->stats();
    auto it = s.dropped.find(reason);
    return it == s.dropped.end() ? 0 : it->second;
  }

  Limits limits_;
  FakeAuthorizer auth_;
  std::unique_ptr<Hub> hub_;
  std::int64_t now_ = 1'000'000;
};

inline json::object obj(std::string_view text) {
  return json::parse(text).as_object();
}

class HubRoomTest : public HubTest {
 protected:
  void SetUp() override {
    a_ = join("room1");
    b_ = join("room1");
    c_ = join("room1");
    d_ = join("room2");  // another room: must never hear room1
    a_.sink->clear();
    b_.sink->clear();
    c_.sink->clear();
  }
  Client a_, b_, c_, d_;
};

}  // namespace aerie::hubtest
