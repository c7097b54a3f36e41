// Command line of aerie-loadgen.
#pragma once

#include <optional>
#include <string>
#include <vector>

namespace loadgen {

struct Step {
  double candidateRate = 0;
  double publicRate = 0;
  double durationMs = 0;
};

struct Options {
  bool control = false;       // --control: driven by bench.mjs over stdin/stdout (JSON lines)
  std::string url;            // standalone: http://127.0.0.1:PORT
  std::string target = "aerie";
  std::string appKey;
  int peers = 200;
  int room = 4;
  double joinRate = 400;
  double negotiateRate = 2000;
  bool negotiate = true;
  std::vector<Step> steps = {{10, 1, 2000}};
  int sourceBlock = 0;        // sources 127.1.W.1, 127.1.W.2, ...
  double maxSeconds = 600;    // hard deadline: exit 3 past it
};

// nullopt after printing usage or the problem to stderr; `exitCode` says with what to exit.
std::optional<Options> parseOptions(int argc, char** argv, int& exitCode);

}  // namespace loadgen
