#include "Peer.hpp"

#include "Clock.hpp"
#include "Generator.hpp"
#include "Wire.hpp"

#include <boost/json/parse.hpp>
#include <boost/json/serialize.hpp>

#include <algorithm>
#include <chrono>
#include <cmath>

namespace loadgen {

namespace json = boost::json;

namespace {

constexpr double kApiTimeoutMs = 10000;
constexpr double kJoinTimeoutMs = 20000;

// Math.random() * 1e15, the weight SkylinkJS puts in enter/welcome.
double randomWeight() {
  thread_local std::uint64_t s = 0x853C49E6748FEA9Bull;
  s ^= s << 13;
  s ^= s >> 7;
  s ^= s << 17;
  return static_cast<double>(s >> 11) / 9007199254740992.0 * 1e15;
}

// Stamps in messages: CLOCK_MONOTONIC ms rounded to the µs, as client.mjs rounds its own.
double stamp() { return std::round(nowMs() * 1000.0) / 1000.0; }

std::string_view stringField(const json::object& o, std::string_view key) {
  const json::value* v = o.if_contains(key);
  return v && v->is_string() ? std::string_view(v->get_string()) : std::string_view();
}

}  // namespace

Peer::Peer(Generator& gen, int idx, std::string room, boost::asio::ip::address_v4 source)
    : gen_(gen), idx_(idx), room_(std::move(room)), source_(source), ws_(gen.io(), *this) {}

void Peer::send(std::string_view frame) {
  if (!ws_.isOpen()) return;
  ws_.sendText(frame);
  ++gen_.counters().sent;
}

void Peer::startJoin() {
  if (gen_.target() != Target::Aerie) {
    t0api_ = 0;
    openSocket();
    return;
  }
  joinState_ = JoinState::Api;
  t0api_ = nowMs();
  auto wall = std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::system_clock::now().time_since_epoch());
  std::string path = "/api/" + gen_.appKey() + "/" + wire::encodeUriComponent(room_) + "?rand=" + std::to_string(wall.count());
  gen_.api().get(source_, path, [this](const std::string& error, int status, std::string body) {
    onApiReply(error, status, std::move(body));
  });
}

void Peer::onApiReply(const std::string& error, int status, std::string body) {
  if (joinState_ != JoinState::Api) return;  // timed out meanwhile
  if (!error.empty()) return joinFailed(error);
  boost::system::error_code ec;
  json::value v = json::parse(body, ec);
  const json::value* ok = (!ec && v.is_object()) ? v.as_object().if_contains("success") : nullptr;
  if (ec || !v.is_object()) return joinFailed("API " + std::to_string(status) + " " + body.substr(0, 200));
  if (status != 200 || !ok || !ok->is_bool() || !ok->get_bool()) {
    return joinFailed("API " + std::to_string(status) + " " + body.substr(0, 200));
  }
  joinRoomFrame_ = wire::sioFrame(wire::joinRoomFromApi(v.as_object(), gen_.appKey()));
  openSocket();
}

void Peer::openSocket() {
  joinState_ = JoinState::Socket;
  t0socket_ = nowMs();
  lastPing_ = t0socket_;
  ws_.connect(source_, gen_.server(), {});
}

void Peer::checkJoinDeadline(double now) {
  if (joinState_ == JoinState::Api && now - t0api_ > kApiTimeoutMs) return joinFailed("API timeout");
  if (joinState_ == JoinState::Socket && now - t0socket_ > kJoinTimeoutMs) joinFailed("join timeout");
}

void Peer::pingIfDue(double now) {
  if (!ws_.isOpen()) return;
  double every = pingIntervalMs_ - 5000.0;
  if (now - lastPing_ < every) return;
  if (pingOutstanding_) gen_.counters().error("noPong", "no Engine.IO pong to the last ping");
  lastPing_ = now;
  pingOutstanding_ = true;
  ws_.sendText("2");
}

void Peer::joined() {
  joinState_ = JoinState::Joined;
  gen_.joinDone(true);
}

void Peer::joinFailed(std::string_view why) {
  if (joinState_ != JoinState::Api && joinState_ != JoinState::Socket) return;
  joinState_ = JoinState::Failed;
  gen_.counters().error("join", why);
  gen_.joinDone(false);
}

void Peer::addMate(std::string_view sid) {
  if (std::find(mates_.begin(), mates_.end(), sid) == mates_.end()) mates_.emplace_back(sid);
}

void Peer::sendOffer(const std::string& sid) {
  offersOut_.emplace_back(sid, nowMs());
  send(wire::sioFrame(wire::offer(sid, gen_.sdpOffer())));
}

void Peer::sendBye() { send(wire::sioFrame(wire::bye())); }

// ---- inbound ---------------------------------------------------------------------------------

void Peer::onWsOpen() {}

void Peer::onWsText(std::string_view text) {
  if (text == "3") {  // Engine.IO pong
    pingOutstanding_ = false;
    return;
  }
  Counters& c = gen_.counters();
  ++c.received;
  if (gen_.phase() == Phase::Traffic) return onTrafficFrame(text);
  wire::Parsed p = wire::parse(text);
  switch (p.kind) {
    case wire::Kind::Pong:
      return;
    case wire::Kind::Open:
      pingIntervalMs_ = p.pingIntervalMs;
      return;
    case wire::Kind::Connect:
      if (joinState_ != JoinState::Socket || joinRoomSent_) return c.error("unexpectedConnect", text);
      joinRoomSent_ = true;
      tJoinSent_ = nowMs();
      if (gen_.target() == Target::Aerie) {
        send(joinRoomFrame_);
        std::string().swap(joinRoomFrame_);
      } else {
        send(wire::sioFrame(wire::joinRoomPlain(room_, "u" + std::to_string(idx_))));
      }
      return;
    case wire::Kind::Message: {
      std::string_view type = p.message.at("type").get_string();
      c.countType(type);
      return onMessage(p.message, text);
    }
    case wire::Kind::Unexpected:
      return c.error("badFrame", text.substr(0, 100));
  }
}

// Relay steps: no JSON parse, classified by substring, timed by the stamp inside.
void Peer::onTrafficFrame(std::string_view text) {
  Counters& c = gen_.counters();
  if (text.find("candidate") != std::string_view::npos) c.countType("candidate");
  else if (text.find("private") != std::string_view::npos) c.countType("private");
  else if (text.find("public") != std::string_view::npos) c.countType("public");
  else c.countType("other");
  if (auto ts = wire::frameTimestamp(text)) gen_.lat().relay.add(stamp() - *ts);
}

void Peer::onMessage(const json::object& msg, std::string_view text) {
  std::string_view type = msg.at("type").get_string();
  std::string_view from = stringField(msg, "mid");
  Counters& c = gen_.counters();
  if (type == "inRoom") {
    std::string_view sid = stringField(msg, "sid");
    if (joinState_ != JoinState::Socket || sid.empty()) return c.error("unexpectedInRoom", text.substr(0, 200));
    sid_ = sid;
    gen_.registerSid(sid_, this);
    double t = nowMs();
    Latencies& lat = gen_.lat();
    if (t0api_ > 0) lat.api.add(t - t0api_);
    lat.connect.add(t - t0socket_);
    lat.join.add(t - tJoinSent_);
    tEnter_ = nowMs();
    send(wire::sioFrame(wire::enter(randomWeight())));
    // A room's first peer hears no welcome: it is joined once inRoom is in.
    joined();
    return;
  }
  if (type == "redirect") {
    std::string kind = "redirect:" + std::string(stringField(msg, "reason"));
    c.error(kind, text.substr(0, 200));
    if (stringField(msg, "action") == "reject") joinFailed("rejected: " + std::string(stringField(msg, "reason")));
    return;
  }
  bool needsFrom = type == "enter" || type == "welcome" || type == "offer" || type == "answer" || type == "bye";
  if (needsFrom && from.empty()) return c.error("badMessage", text.substr(0, 200));
  if (type == "enter") {
    addMate(from);
    send(wire::sioFrame(wire::welcome(randomWeight(), from)));
  } else if (type == "welcome") {
    addMate(from);
    if (!gotWelcome_) {
      gotWelcome_ = true;
      gen_.lat().enter.add(nowMs() - tEnter_);
    }
  } else if (type == "offer") {
    send(wire::sioFrame(wire::answer(from, gen_.sdpAnswer())));
    send(wire::candidateFrame(from, 0, stamp()));
    send(wire::candidateFrame(from, 1, stamp()));
  } else if (type == "answer") {
    auto it = std::find_if(offersOut_.begin(), offersOut_.end(), [&](const auto& o) { return o.first == from; });
    if (it != offersOut_.end()) {
      gen_.lat().answer.add(nowMs() - it->second);
      offersOut_.erase(it);
      gen_.answered();
    }
    send(wire::candidateFrame(from, 2, stamp()));
    send(wire::candidateFrame(from, 3, stamp()));
  } else if (type == "bye") {
    auto it = std::find(mates_.begin(), mates_.end(), from);
    if (it != mates_.end()) mates_.erase(it);
  }
}

void Peer::onWsError(std::string_view kind, std::string_view detail, bool protocol) {
  if (joinState_ == JoinState::Api || joinState_ == JoinState::Socket) {
    return joinFailed(std::string(kind) + ": " + std::string(detail));
  }
  // After the join, a transport failure shows as a socket closed early; a protocol violation
  // is an error of its own.
  if (protocol) gen_.counters().error(kind, detail);
}

void Peer::onWsClosed() {
  if (gen_.phase() != Phase::Leave) {
    ++gen_.counters().closedEarly;
    joinFailed("closed");
  }
  if (!sid_.empty()) gen_.unregisterSid(sid_);
}

}  // namespace loadgen
