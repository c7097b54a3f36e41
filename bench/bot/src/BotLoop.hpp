#pragma once
// One event loop of aerie-bot on its own thread: its clients, the latency samples they measure, and
// two timers: every millisecond the publishers send what is due, every 20 ms the clients'
// signaling, ICE and DTLS timers run. Everything of a loop runs on its thread; the main thread
// only reads the results after stop().
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/address_v4.hpp>
#include <boost/asio/steady_timer.hpp>

#include <chrono>
#include <memory>
#include <string>
#include <thread>
#include <vector>

#include "ApiClient.hpp"
#include "AudioSource.hpp"
#include "BotClient.hpp"
#include "LatencyHistogram.hpp"
#include "VideoSource.hpp"

namespace aerie::bot {

struct BotRun;

class BotLoop {
 public:
  using Clock = std::chrono::steady_clock;

  BotLoop(BotRun& run, boost::asio::ip::address_v4 source);
  ~BotLoop();
  BotLoop(const BotLoop&) = delete;
  BotLoop& operator=(const BotLoop&) = delete;

  void add(std::size_t index, std::string room, std::size_t roomPeers);
  // Starts the thread: the clients join, one every `stagger`.
  void start(Clock::duration stagger);
  // Says bye, closes, stops the loop and joins the thread.
  void stop();

  boost::asio::io_context& io() { return io_; }
  loadgen::ApiClient& api() { return api_; }
  const boost::asio::ip::address_v4& source() const { return source_; }
  // The video clips, one per layer (lowest first).
  const std::vector<VideoSource>& video() const;
  const AudioSource& audio() const;
  LatencyHistogram& latency() { return latency_; }
  const LatencyHistogram& latency() const { return latency_; }
  Clock::time_point epoch() const { return epoch_; }
  bool stopping() const { return stopping_; }
  const std::vector<std::unique_ptr<BotClient>>& clients() const { return clients_; }

 private:
  void paceLoop();
  void tickLoop();
  void startNext(std::size_t i, Clock::duration stagger);

  BotRun& run_;
  boost::asio::ip::address_v4 source_;
  boost::asio::io_context io_;
  loadgen::ApiClient api_;
  LatencyHistogram latency_;
  boost::asio::steady_timer paceTimer_;
  boost::asio::steady_timer tickTimer_;
  boost::asio::steady_timer startTimer_;
  Clock::time_point epoch_;
  Clock::time_point nextPace_;
  bool stopping_ = false;
  std::vector<std::unique_ptr<BotClient>> clients_;
  std::thread thread_;
};

}  // namespace aerie::bot
