#pragma once
// The JSON summary aerie-bot prints at the end of a run: what was sent and received, frames,
// loss, latency (publisher send → subscriber receive, on the monotonic clock), per room, and
// every client that did not get media from all its room mates.
#include <boost/json/object.hpp>

#include <memory>
#include <string>
#include <vector>

#include "BotLoop.hpp"
#include "BotRun.hpp"

namespace aerie::bot {

class BotReport {
 public:
  struct Window {
    double seconds = 0;      // how long the run measured
    double botCpuSeconds = 0;  // this process's CPU over the window
  };

  // Read after every loop stopped.
  static boost::json::object build(const BotRun& run, const std::vector<std::unique_ptr<BotLoop>>& loops,
                                   const Window& window, std::vector<std::string>& failures);
};

}  // namespace aerie::bot
