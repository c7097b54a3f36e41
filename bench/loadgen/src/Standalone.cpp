#include "Standalone.hpp"

#include "Clock.hpp"
#include "Sources.hpp"

#include <boost/json/serialize.hpp>

#include <unistd.h>

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <stdexcept>
#include <vector>

namespace loadgen {

namespace asio = boost::asio;
namespace json = boost::json;

namespace {

void printLatency(const char* name, const json::value& samples) {
  std::vector<double> v;
  if (samples.is_array()) {
    for (const auto& x : samples.get_array()) {
      boost::system::error_code ec;
      double d = x.to_number<double>(ec);
      if (!ec) v.push_back(d);
    }
  }
  if (v.empty()) {
    std::printf("  %-28s –\n", name);
    return;
  }
  std::sort(v.begin(), v.end());
  auto at = [&](double p) {
    auto i = static_cast<std::size_t>(std::max(0.0, std::ceil(p / 100.0 * static_cast<double>(v.size())) - 1));
    return v[std::min(i, v.size() - 1)];
  };
  std::printf("  %-28s p50 %8.2f  p99 %8.2f  max %8.1f ms  (n %zu)\n", name, at(50), at(99), v.back(), v.size());
}

double num(const json::object& o, std::string_view k) {
  const json::value* v = o.if_contains(k);
  boost::system::error_code ec;
  return v ? v->to_number<double>(ec) : 0.0;
}

}  // namespace

asio::awaitable<int> runStandalone(Generator& gen, const Options& opt) {
  std::string why;
  auto server = LoopbackUrl::parse(opt.url, why);
  if (!server) throw std::runtime_error("--url: " + why);
  std::vector<PeerSpec> specs;
  std::string tag = "lg" + std::to_string(getpid());
  for (int i = 0; i < opt.peers; ++i) specs.push_back({i, tag + "-" + std::to_string(i / std::max(1, opt.room))});
  gen.init(opt.target == "sio" ? Target::Sio : Target::Aerie, *server, opt.appKey, std::move(specs),
           sourceBlock(opt.sourceBlock, static_cast<std::size_t>(opt.peers)));

  std::printf("aerie-loadgen: %d peers in rooms of %d at %.0f joins/s against %s (%s)\n", opt.peers, opt.room,
              opt.joinRate, opt.url.c_str(), opt.target.c_str());
  double cpu0 = cpuSeconds();
  json::object j = co_await gen.join(opt.joinRate);
  double joinCpu = cpuSeconds() - cpu0;
  const json::object& jl = j["lat"].as_object();
  std::printf("join: %.0f of %d joined in %.2f s; generator CPU %.3f s (%.0f µs per join); loop lag p99 %.2f ms\n",
              num(j, "joined"), opt.peers, num(j, "seconds"), joinCpu, joinCpu * 1e6 / std::max(1.0, num(j, "joined")),
              num(j["loopLag"].as_object(), "p99"));
  printLatency("API call → inRoom", jl.at("api"));
  printLatency("socket open → inRoom", jl.at("connect"));
  printLatency("joinRoom → inRoom", jl.at("join"));
  printLatency("enter → first welcome", jl.at("enter"));
  bool ok = num(j, "joined") == opt.peers;

  if (opt.negotiate) {
    json::object n = co_await gen.negotiate(opt.negotiateRate);
    std::printf("negotiate: %.0f offers, %.0f unanswered\n", num(n, "offers"), num(n, "unanswered"));
    printLatency("offer → answer", n["lat"].as_object().at("answer"));
    ok = ok && num(n, "unanswered") == 0;
  }

  for (std::size_t s = 0; s < opt.steps.size(); ++s) {
    const Step& st = opt.steps[s];
    double c0 = cpuSeconds();
    json::object t = co_await gen.traffic(st.durationMs, st.candidateRate, st.publicRate);
    double cpu = cpuSeconds() - c0;
    double expected = num(t, "sentCandidates") + num(t, "sentPublic") * (opt.room - 1);
    double received = num(t, "received");
    std::printf("relay step %zu (%g candidate + %g public /s/peer, %g s): delivered %.0f / expected %.0f, %.0f msg/s; "
                "generator CPU %.3f s (%.2f µs per delivered message)\n",
                s + 1, st.candidateRate, st.publicRate, st.durationMs / 1000, received, expected,
                received / std::max(1e-9, num(t, "seconds")), cpu, cpu * 1e6 / std::max(1.0, received));
    printLatency("relay latency", t["lat"].as_object().at("relay"));
    ok = ok && received >= expected;
  }
  co_await gen.leave();
  json::object common;
  gen.addCommon(common);
  std::printf("errors %.0f %s; sockets closed early %.0f; generator CPU total %.3f s\n", num(common, "errors"),
              json::serialize(common["errorKinds"]).c_str(), num(common, "closedEarly"), cpuSeconds());
  ok = ok && num(common, "errors") == 0 && num(common, "closedEarly") == 0;
  std::fflush(stdout);
  co_return ok ? 0 : 1;
}

}  // namespace loadgen
