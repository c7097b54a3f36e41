#include "BotLoop.hpp"

#include <boost/asio/post.hpp>

#include "BotRun.hpp"

namespace aerie::bot {

namespace {
constexpr auto kPaceInterval = std::chrono::milliseconds(1);
constexpr auto kTickInterval = std::chrono::milliseconds(20);
}  // namespace

BotLoop::BotLoop(BotRun& run, boost::asio::ip::address_v4 source)
    : run_(run),
      source_(source),
      api_(io_, run.server),
      paceTimer_(io_),
      tickTimer_(io_),
      startTimer_(io_),
      epoch_(Clock::now()) {}

BotLoop::~BotLoop() {
  if (thread_.joinable()) stop();
  // The clients' sockets go before the loop that holds their pending operations.
  clients_.clear();
}

const std::vector<VideoSource>& BotLoop::video() const { return run_.video; }
const AudioSource& BotLoop::audio() const { return run_.audio; }

void BotLoop::add(std::size_t index, std::string room, std::size_t roomPeers) {
  clients_.push_back(std::make_unique<BotClient>(*this, run_, index, std::move(room), roomPeers));
}

void BotLoop::start(Clock::duration stagger) {
  nextPace_ = Clock::now();
  thread_ = std::thread([this, stagger] {
    startNext(0, stagger);
    paceLoop();
    tickLoop();
    io_.run();
  });
}

void BotLoop::startNext(std::size_t i, Clock::duration stagger) {
  if (stopping_ || i >= clients_.size()) return;
  clients_[i]->start();
  startTimer_.expires_after(stagger);
  startTimer_.async_wait([this, i, stagger](const boost::system::error_code& ec) {
    if (!ec) startNext(i + 1, stagger);
  });
}

void BotLoop::paceLoop() {
  nextPace_ += kPaceInterval;
  const auto now = Clock::now();
  if (nextPace_ < now) nextPace_ = now;  // late: no catching up in a burst of wake-ups
  paceTimer_.expires_at(nextPace_);
  paceTimer_.async_wait([this](const boost::system::error_code& ec) {
    if (ec || stopping_) return;
    const auto now = Clock::now();
    for (auto& c : clients_) c->pace(now);
    paceLoop();
  });
}

void BotLoop::tickLoop() {
  tickTimer_.expires_after(kTickInterval);
  tickTimer_.async_wait([this](const boost::system::error_code& ec) {
    if (ec || stopping_) return;
    const auto now = Clock::now();
    for (auto& c : clients_) c->tick(now);
    tickLoop();
  });
}

void BotLoop::stop() {
  if (!thread_.joinable()) return;
  boost::asio::post(io_, [this] {
    stopping_ = true;
    for (auto& c : clients_) c->stop();
    paceTimer_.cancel();
    tickTimer_.cancel();
    startTimer_.cancel();
    api_.closeAll();
    // A moment for the byes and close frames to leave, then the loop ends.
    startTimer_.expires_after(std::chrono::milliseconds(50));
    startTimer_.async_wait([this](const boost::system::error_code&) { io_.stop(); });
  });
  thread_.join();
}

}  // namespace aerie::bot
