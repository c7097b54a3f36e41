// aerie-loadgen without the orchestrator: one process runs every phase against a server that is
// already listening and prints the figures (p50 / p99 / max) to stdout.
#pragma once

#include "Generator.hpp"
#include "Options.hpp"

#include <boost/asio/awaitable.hpp>

namespace loadgen {

// 0 when every peer joined and nothing went wrong, else 1.
boost::asio::awaitable<int> runStandalone(Generator& gen, const Options& opt);

}  // namespace loadgen
