#include "Generator.hpp"

#include "Clock.hpp"
#include "Peer.hpp"
#include "SyntheticSdp.hpp"
#include "Wire.hpp"

#include <boost/asio/this_coro.hpp>
#include <boost/asio/use_awaitable.hpp>

#include <unistd.h>

#include <chrono>
#include <cmath>
#include <stdexcept>

namespace loadgen {

namespace asio = boost::asio;
namespace json = boost::json;

namespace {

constexpr double kNegotiationTimeoutMs = 15000;

json::object latencyReply(std::initializer_list<std::pair<const char*, Samples*>> list) {
  json::object o;
  for (auto& [name, s] : list) o[name] = s->take();
  return o;
}

}  // namespace

Generator::Generator(asio::io_context& io) : io_(io), housekeeping_(io), lag_(io) {}

Generator::~Generator() = default;

json::object Generator::init(Target target, LoopbackUrl server, std::string appKey, std::vector<PeerSpec> specs,
                             std::vector<asio::ip::address_v4> sources) {
  if (!peers_.empty()) throw std::runtime_error("init: already initialised");
  if (sources.empty()) throw std::runtime_error("init: no source addresses");
  for (const auto& s : sources) {
    if (!isLoopback(s)) throw std::runtime_error("init: source " + s.to_string() + " is not loopback");
  }
  target_ = target;
  server_ = std::move(server);
  appKey_ = std::move(appKey);
  api_ = std::make_unique<ApiClient>(io_, *server_);
  sdpOffer_ = syntheticSdp("offer", static_cast<unsigned long long>(getpid()));
  sdpAnswer_ = syntheticSdp("answer", static_cast<unsigned long long>(getpid()));
  peers_.reserve(specs.size());
  for (std::size_t i = 0; i < specs.size(); ++i) {
    peers_.push_back(std::make_unique<Peer>(*this, specs[i].idx, std::move(specs[i].room), sources[i % sources.size()]));
  }
  bySid_.reserve(specs.size());
  housekeeping();
  json::object reply;
  reply["peers"] = peers_.size();
  return reply;
}

// Join deadlines and Engine.IO pings, about once a second (client.mjs checks pings as often).
void Generator::housekeeping() {
  double now = nowMs();
  for (auto& p : peers_) {
    auto st = p->joinState();
    if (st == Peer::JoinState::Api || st == Peer::JoinState::Socket) p->checkJoinDeadline(now);
    if (phase_ != Phase::Leave) p->pingIfDue(now);
  }
  housekeeping_.expires_after(std::chrono::seconds(1));
  housekeeping_.async_wait([this](boost::system::error_code ec) {
    if (!ec) housekeeping();
  });
}

asio::awaitable<void> Generator::sleepMs(double ms) {
  asio::steady_timer t(io_);
  t.expires_after(std::chrono::duration_cast<std::chrono::steady_clock::duration>(std::chrono::duration<double, std::milli>(ms)));
  co_await t.async_wait(asio::use_awaitable);
}

// `atMs` on the nowMs() clock: CLOCK_MONOTONIC, which steady_clock reads on Linux.
asio::awaitable<void> Generator::sleepUntil(double atMs) {
  asio::steady_timer t(io_);
  t.expires_at(std::chrono::steady_clock::time_point(
      std::chrono::duration_cast<std::chrono::steady_clock::duration>(std::chrono::duration<double, std::milli>(atMs))));
  co_await t.async_wait(asio::use_awaitable);
}

void Generator::unregisterSid(const std::string& sid) {
  auto it = bySid_.find(sid);
  if (it != bySid_.end()) bySid_.erase(it);
}

Peer* Generator::bySid(const std::string& sid) const {
  auto it = bySid_.find(sid);
  return it == bySid_.end() ? nullptr : it->second;
}

void Generator::joinDone(bool ok) {
  if (joinsPending_ > 0) --joinsPending_;
  if (ok) ++joinedCount_;
}

void Generator::answered() {
  if (answersPending_ > 0) --answersPending_;
}

void Generator::addCommon(json::object& reply) const {
  reply["errors"] = counters_.errors;
  reply["errorKinds"] = counters_.errorKindsJson();
  reply["closedEarly"] = counters_.closedEarly;
}

// ---- phases ----------------------------------------------------------------------------------

asio::awaitable<json::object> Generator::join(double rate) {
  if (peers_.empty()) throw std::runtime_error("join: init first");
  phase_ = Phase::Join;
  lag_.start();
  double cpu0 = cpuSeconds();
  double t0 = nowMs();
  double interval = rate > 0 ? 1000.0 / rate : 0;
  joinedCount_ = 0;
  for (std::size_t i = 0; i < peers_.size(); ++i) {
    double due = t0 + static_cast<double>(i) * interval;
    if (due - nowMs() > 1) co_await sleepUntil(due);
    if (peers_[i]->joinState() != Peer::JoinState::Waiting) continue;
    ++joinsPending_;
    peers_[i]->startJoin();
  }
  while (joinsPending_ > 0) co_await sleepMs(5);
  // Let the last welcomes arrive.
  co_await sleepMs(500);
  phase_ = Phase::Idle;
  json::object reply;
  reply["joined"] = joinedCount_;
  reply["seconds"] = (nowMs() - t0) / 1000.0;
  reply["loopLag"] = lag_.stop();
  reply["cpu"] = cpuSeconds() - cpu0;
  reply["lat"] = latencyReply({{"api", &lat_.api}, {"connect", &lat_.connect}, {"join", &lat_.join}, {"enter", &lat_.enter}});
  co_return reply;
}

// The newer peer of each pair offers (SkylinkJS: the higher weight; which one does not matter to
// the server).
asio::awaitable<json::object> Generator::negotiate(double rate) {
  phase_ = Phase::Negotiate;
  double t0 = nowMs();
  std::vector<std::pair<Peer*, std::string>> pairs;
  for (auto& p : peers_) {
    for (const auto& sid : p->mates()) {
      Peer* mate = bySid(sid);
      if (mate && mate->idx() < p->idx()) pairs.emplace_back(p.get(), sid);
    }
  }
  answersPending_ = pairs.size();
  double interval = rate > 0 ? 1000.0 / rate : 0;
  for (std::size_t n = 0; n < pairs.size(); ++n) {
    double due = t0 + static_cast<double>(n) * interval;
    if (due - nowMs() > 1) co_await sleepUntil(due);
    pairs[n].first->sendOffer(pairs[n].second);
  }
  double sentAt = nowMs();
  while (answersPending_ > 0 && nowMs() - sentAt < kNegotiationTimeoutMs) co_await sleepMs(5);
  if (answersPending_ > 0) {
    counters_.error("negotiationTimeout", std::to_string(answersPending_) + " offers unanswered");
  }
  co_await sleepMs(300);  // trailing candidates
  std::size_t unanswered = answersPending_;
  answersPending_ = 0;
  phase_ = Phase::Idle;
  json::object reply;
  reply["offers"] = pairs.size();
  reply["unanswered"] = unanswered;
  reply["seconds"] = (nowMs() - t0) / 1000.0;
  reply["lat"] = latencyReply({{"answer", &lat_.answer}});
  co_return reply;
}

// Each peer with a room mate sends `candidate` to its mates in turn at `candidateRate`/s and
// `public` chat to its room at `publicRate`/s. Every receiver is a peer of this worker (a room
// stays in one worker).
asio::awaitable<json::object> Generator::traffic(double durationMs, double candidateRate, double publicRate) {
  phase_ = Phase::Traffic;
  lag_.start();
  std::vector<Peer*> senders;
  for (auto& p : peers_) {
    if (!p->mates().empty() && p->isOpen()) senders.push_back(p.get());
  }
  std::uint64_t receivedBefore = counters_.received;
  auto byTypeBefore = counters_.receivedByType;
  double t0 = nowMs();
  std::uint64_t sentCand = 0, sentPub = 0, skipped = 0, rr = 0, rrPub = 0, i = 0, expected = 0;
  const double n = static_cast<double>(senders.size());
  for (;;) {
    double elapsed = nowMs() - t0;
    if (elapsed >= durationMs || senders.empty()) break;
    auto dueCand = static_cast<std::uint64_t>(std::floor(elapsed / 1000.0 * candidateRate * n));
    auto duePub = static_cast<std::uint64_t>(std::floor(elapsed / 1000.0 * publicRate * n));
    while (sentCand < dueCand) {
      Peer* p = senders[rr++ % senders.size()];
      ++sentCand;
      auto& mates = p->mates();
      if (mates.empty()) {  // every mate left meanwhile: nothing to address
        ++skipped;
        continue;
      }
      const std::string& target = mates[p->nextMate() % mates.size()];
      // A stamp per message (clock_gettime is cheap here): the latency does not include the
      // time the sending loop spent on the messages before it.
      p->send(wire::candidateFrame(target, i++, nowMs()));
      ++expected;
    }
    while (sentPub < duePub) {
      Peer* p = senders[rrPub++ % senders.size()];
      p->send(wire::publicChatFrame(nowMs()));
      ++sentPub;
      expected += p->mates().size();
    }
    co_await sleepMs(5);
  }
  // Drain: until everything expected is in, or nothing came for 2 s, or 10 s passed.
  double sentAt = nowMs();
  std::uint64_t last = counters_.received;
  double lastProgress = nowMs();
  while (counters_.received - receivedBefore < expected && nowMs() - sentAt < 10000 && nowMs() - lastProgress < 2000) {
    co_await sleepMs(50);
    if (counters_.received != last) {
      last = counters_.received;
      lastProgress = nowMs();
    }
  }
  phase_ = Phase::Idle;
  json::object byType;
  for (const auto& [k, v] : counters_.receivedByType) {
    auto it = byTypeBefore.find(k);
    byType[k] = v - (it == byTypeBefore.end() ? 0 : it->second);
  }
  json::object reply;
  reply["senders"] = senders.size();
  reply["seconds"] = (sentAt - t0) / 1000.0;
  reply["loopLag"] = lag_.stop();
  reply["expectedHere"] = expected;
  reply["sentCandidates"] = sentCand - skipped;
  reply["sentPublic"] = sentPub;
  reply["received"] = counters_.received - receivedBefore;
  reply["byType"] = std::move(byType);
  reply["lat"] = latencyReply({{"relay", &lat_.relay}});
  co_return reply;
}

asio::awaitable<json::object> Generator::leave() {
  phase_ = Phase::Leave;
  for (auto& p : peers_) p->sendBye();
  co_await sleepMs(500);
  for (auto& p : peers_) p->sendClose();
  co_await sleepMs(500);
  for (auto& p : peers_) p->terminate();
  if (api_) api_->closeAll();
  co_return json::object{};
}

json::object Generator::status() const {
  json::object o;
  o["sent"] = counters_.sent;
  o["received"] = counters_.received;
  o["receivedByType"] = counters_.receivedByTypeJson();
  o["rss"] = rssBytes();
  o["cpu"] = cpuSeconds();
  std::size_t open = 0;
  for (const auto& p : peers_) open += p->isOpen() ? 1 : 0;
  o["open"] = open;
  return o;
}

}  // namespace loadgen
