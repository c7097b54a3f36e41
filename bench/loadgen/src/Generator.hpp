// One worker's share of the simulated peers and the phases the orchestrator drives: join,
// negotiate, traffic (relay steps), leave, status: what bench/client.mjs does, with the same
// replies. Single-threaded: everything runs on one io_context.
#pragma once

#include "ApiClient.hpp"
#include "Counters.hpp"
#include "LoopLag.hpp"
#include "LoopbackUrl.hpp"
#include "Samples.hpp"

#include <boost/asio/awaitable.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/json/object.hpp>

#include <memory>
#include <optional>
#include <string>
#include <unordered_map>
#include <vector>

namespace loadgen {

class Peer;

enum class Target { Aerie, Sio };
enum class Phase { Idle, Join, Negotiate, Traffic, Leave };

struct PeerSpec {
  int idx = 0;
  std::string room;
};

struct Latencies {
  Samples api;      // API call → inRoom
  Samples connect;  // socket open → inRoom
  Samples join;     // joinRoom → inRoom
  Samples enter;    // enter → first welcome
  Samples answer;   // offer → answer
  Samples relay;    // relay latency from the stamp in the message
};

class Generator {
 public:
  explicit Generator(boost::asio::io_context& io);
  ~Generator();
  Generator(const Generator&) = delete;
  Generator& operator=(const Generator&) = delete;

  // Throws std::runtime_error when called twice or with no peers.
  boost::json::object init(Target target, LoopbackUrl server, std::string appKey, std::vector<PeerSpec> peers,
                           std::vector<boost::asio::ip::address_v4> sources);
  boost::asio::awaitable<boost::json::object> join(double rate);
  boost::asio::awaitable<boost::json::object> negotiate(double rate);
  boost::asio::awaitable<boost::json::object> traffic(double durationMs, double candidateRate, double publicRate);
  boost::asio::awaitable<boost::json::object> leave();
  boost::json::object status() const;
  // errors, errorKinds, closedEarly: on every reply.
  void addCommon(boost::json::object& reply) const;

  // For the peers.
  boost::asio::io_context& io() { return io_; }
  Target target() const { return target_; }
  Phase phase() const { return phase_; }
  const LoopbackUrl& server() const { return *server_; }
  const std::string& appKey() const { return appKey_; }
  ApiClient& api() { return *api_; }
  Counters& counters() { return counters_; }
  Latencies& lat() { return lat_; }
  const std::string& sdpOffer() const { return sdpOffer_; }
  const std::string& sdpAnswer() const { return sdpAnswer_; }
  void registerSid(const std::string& sid, Peer* peer) { bySid_[sid] = peer; }
  void unregisterSid(const std::string& sid);
  Peer* bySid(const std::string& sid) const;
  void joinDone(bool ok);
  void answered();

 private:
  void housekeeping();
  boost::asio::awaitable<void> sleepMs(double ms);
  boost::asio::awaitable<void> sleepUntil(double atMs);

  boost::asio::io_context& io_;
  boost::asio::steady_timer housekeeping_;
  LoopLag lag_;
  Target target_ = Target::Aerie;
  Phase phase_ = Phase::Idle;
  std::optional<LoopbackUrl> server_;
  std::string appKey_;
  std::unique_ptr<ApiClient> api_;
  std::vector<std::unique_ptr<Peer>> peers_;
  std::unordered_map<std::string, Peer*> bySid_;
  Counters counters_;
  Latencies lat_;
  std::string sdpOffer_;
  std::string sdpAnswer_;
  std::size_t joinsPending_ = 0;
  std::size_t joinedCount_ = 0;
  std::size_t answersPending_ = 0;
};

}  // namespace loadgen
