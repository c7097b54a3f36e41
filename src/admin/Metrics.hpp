#pragma once
#include <functional>
#include <vector>
// GET /metrics: Prometheus text exposition (format 0.0.4) of the Hub's counters, the API
// server's replies by status, and the process' CPU time and memory.
//
// Who may read it: a client on a loopback address, or anyone with the admin bearer token
// (`Authorization: Bearer <token>`, as the admin API). aerie binds loopback by default, so a
// Prometheus on the same host scrapes without configuration; a server bound to a public
// address does not tell its load and room counts to the world. Behind a reverse proxy on the
// same host every request looks local: such a proxy must not forward /metrics.
#include <array>
#include <atomic>
#include <cstdint>
#include <string>
#include <string_view>

#include "http/HttpExchange.hpp"
#include "hub/HubStats.hpp"
#include "http/HttpHandler.hpp"

namespace aerie {

class AppStore;
class HubGateway;
class UsageWriter;

// Replies of the HTTP handler, by route and status. Thread-safe (the handler runs on every
// loop); the routes are a fixed set so the series stay few whatever clients request.
class HttpCounts {
 public:
  enum class Route { Api, Stats, Admin, Metrics, Health, Other };
  static constexpr std::size_t kRoutes = 6;
  static const char* toString(Route r);
  static Route routeOf(std::string_view target);

  void count(Route route, unsigned status);
  // Replies with `status` (100..599; anything else is counted as 0).
  std::uint64_t get(Route route, unsigned status) const;

 private:
  std::array<std::array<std::atomic<std::uint64_t>, 600>, kRoutes> counts_{};
};

// /proc/self, read at each scrape.
struct ProcessStats {
  double cpuSeconds = 0;        // user + system
  std::uint64_t residentBytes = 0;
  std::uint64_t virtualBytes = 0;
  std::uint64_t openFds = 0;
  std::uint64_t maxFds = 0;
  double startTimeSeconds = 0;  // since the epoch
  std::uint64_t threads = 0;

  static ProcessStats read();
};

class Metrics {
 public:
  Metrics(HubGateway& hub, AppStore& store);

  // The AppRouter's metrics handler: the Hub's counters are read on its loop, the text is made
  // there and `done` is called from there.
  void handleAsync(const HttpRequestView& request, std::int64_t nowMs, HttpDone done);
  HttpCounts& http() { return http_; }
  // Optional: the storage worker whose usage records are counted (set before the loops run).
  void setUsageWriter(const UsageWriter* writer) { usage_ = writer; }
  // Series of subsystems the admin layer does not know (the media plane): a function that
  // appends complete Prometheus text (HELP, TYPE, samples) at each scrape, from any thread.
  void addSource(std::function<void(std::string&)> source) { sources_.push_back(std::move(source)); }

  // The exposition text; pure, for tests.
  static std::string render(const HubStats& hub, const HttpCounts& http,
                            const ProcessStats& process);
  // True for 127.0.0.0/8, ::1 and IPv4-mapped 127.x.
  static bool isLoopback(std::string_view address);

 private:
  HubGateway& hub_;
  AppStore& store_;
  HttpCounts http_;
  const UsageWriter* usage_ = nullptr;
  std::vector<std::function<void(std::string&)>> sources_;
};

// Wraps the server's HTTP handler and counts its replies (the transport calls this one).
class CountingHttpHandler : public HttpHandler {
 public:
  CountingHttpHandler(HttpHandler& inner, HttpCounts& counts) : inner_(inner), counts_(counts) {}
  HttpReply handle(const HttpRequestView& request, std::int64_t nowMs) override;
  void handleAsync(const HttpRequestView& request, std::int64_t nowMs, HttpDone done) override;

 private:
  HttpHandler& inner_;
  HttpCounts& counts_;
};

}  // namespace aerie
