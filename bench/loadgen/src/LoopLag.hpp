// How late the generator's own loop runs: a 10 ms timer and how far past its due time each tick
// fires. Latencies measured by the generator include this delay (client.mjs reports the same
// with Node's monitorEventLoopDelay).
#pragma once

#include "Samples.hpp"

#include <boost/asio/io_context.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/json/object.hpp>

namespace loadgen {

class LoopLag {
 public:
  explicit LoopLag(boost::asio::io_context& io) : timer_(io) {}
  void start();
  // {p50, p99, max} in ms since start(); stops the timer.
  boost::json::object stop();

 private:
  void arm();

  boost::asio::steady_timer timer_;
  bool running_ = false;
  unsigned generation_ = 0;
  double max_ = 0;
  Samples samples_;
};

}  // namespace loadgen
