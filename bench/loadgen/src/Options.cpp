#include "Options.hpp"

#include <cstdio>
#include <cstdlib>
#include <string_view>

namespace loadgen {

namespace {

const char* kUsage = R"(aerie-loadgen: Skylink signaling load generator (C++), loopback only.

  aerie-loadgen --control [--source-block W] [--max-seconds S]
      Driven by bench/bench.mjs: JSON commands on stdin, one a line, replies on stdout
      (the protocol of bench/client.mjs: init, join, negotiate, traffic, leave, status).

  aerie-loadgen --url http://127.0.0.1:PORT [--target aerie|sio] [--app-key KEY]
                [--peers N] [--room K] [--join-rate R] [--negotiate-rate R | --no-negotiate]
                [--steps C:P:MS,... | --steps none] [--source-block W] [--max-seconds S]
      Standalone: join, negotiate, relay steps, leave; prints the figures; exits 1 on any error.

  --source-block W   client sockets bind 127.1.W.1, 127.1.W.2, ... (800 peers per address)
  --max-seconds S    hard deadline (default 600): past it the process exits with status 3
)";

bool number(const char* text, double& out) {
  char* end = nullptr;
  out = std::strtod(text, &end);
  return end && *end == '\0' && end != text;
}

bool parseSteps(std::string_view text, std::vector<Step>& steps) {
  steps.clear();
  if (text == "none") return true;
  while (!text.empty()) {
    auto comma = text.find(',');
    std::string part(text.substr(0, comma));
    text = comma == std::string_view::npos ? std::string_view() : text.substr(comma + 1);
    Step s;
    if (std::sscanf(part.c_str(), "%lf:%lf:%lf", &s.candidateRate, &s.publicRate, &s.durationMs) != 3) return false;
    if (s.candidateRate < 0 || s.publicRate < 0 || s.durationMs <= 0 || s.durationMs > 600000) return false;
    steps.push_back(s);
  }
  return true;
}

}  // namespace

std::optional<Options> parseOptions(int argc, char** argv, int& exitCode) {
  Options o;
  exitCode = 2;
  for (int i = 1; i < argc; ++i) {
    std::string_view a = argv[i];
    auto value = [&]() -> const char* {
      if (i + 1 >= argc) return nullptr;
      return argv[++i];
    };
    auto bad = [&](std::string_view why) {
      std::fprintf(stderr, "aerie-loadgen: %.*s\n", static_cast<int>(why.size()), why.data());
      return std::nullopt;
    };
    double d = 0;
    if (a == "--help" || a == "-h") {
      std::fputs(kUsage, stdout);
      exitCode = 0;
      return std::nullopt;
    } else if (a == "--control") {
      o.control = true;
    } else if (a == "--no-negotiate") {
      o.negotiate = false;
    } else if (a == "--url" || a == "--target" || a == "--app-key" || a == "--steps") {
      const char* v = value();
      if (!v) return bad(std::string(a) + " needs a value");
      if (a == "--url") o.url = v;
      else if (a == "--target") o.target = v;
      else if (a == "--app-key") o.appKey = v;
      else if (!parseSteps(v, o.steps)) return bad("--steps: C:P:MS[,C:P:MS...] (candidate/s, public/s per peer, ms) or none");
    } else if (a == "--peers" || a == "--room" || a == "--join-rate" || a == "--negotiate-rate" ||
               a == "--source-block" || a == "--max-seconds") {
      const char* v = value();
      if (!v || !number(v, d) || d < 0) return bad(std::string(a) + " needs a non-negative number");
      if (a == "--peers") o.peers = static_cast<int>(d);
      else if (a == "--room") o.room = static_cast<int>(d);
      else if (a == "--join-rate") o.joinRate = d;
      else if (a == "--negotiate-rate") o.negotiateRate = d;
      else if (a == "--source-block") o.sourceBlock = static_cast<int>(d);
      else o.maxSeconds = d;
    } else {
      return bad("unknown argument '" + std::string(a) + "' (--help)");
    }
  }
  if (o.sourceBlock > 255) {
    std::fprintf(stderr, "aerie-loadgen: --source-block is 0..255\n");
    return std::nullopt;
  }
  if (o.maxSeconds <= 0 || o.maxSeconds > 24 * 3600) {
    std::fprintf(stderr, "aerie-loadgen: --max-seconds is 1..86400\n");
    return std::nullopt;
  }
  if (!o.control) {
    if (o.url.empty()) {
      std::fputs(kUsage, stderr);
      return std::nullopt;
    }
    if (o.target != "aerie" && o.target != "sio") {
      std::fprintf(stderr, "aerie-loadgen: --target is aerie or sio (PeerJS: use the Node generator)\n");
      return std::nullopt;
    }
    if (o.target == "aerie" && o.appKey.empty()) {
      std::fprintf(stderr, "aerie-loadgen: --target aerie needs --app-key (aerie app create)\n");
      return std::nullopt;
    }
    if (o.peers < 1 || o.peers > 1'000'000 || o.room < 1 || o.joinRate <= 0) {
      std::fprintf(stderr, "aerie-loadgen: --peers 1..1000000, --room >= 1, --join-rate > 0\n");
      return std::nullopt;
    }
  }
  exitCode = 0;
  return o;
}

}  // namespace loadgen
