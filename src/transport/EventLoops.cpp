#include "transport/EventLoops.hpp"

#include <thread>

namespace aerie {

namespace {
thread_local unsigned currentLoop = EventLoops::kNone;

void runAs(boost::asio::io_context& loop, unsigned index) {
  currentLoop = index;
  loop.run();
  currentLoop = EventLoops::kNone;
}
}  // namespace

EventLoops::EventLoops(unsigned count) {
  if (count == 0) count = 1;
  for (unsigned i = 0; i < count; ++i) {
    loops_.push_back(std::make_unique<boost::asio::io_context>(1));
    guards_.emplace_back(loops_.back()->get_executor());
  }
}

unsigned EventLoops::current() { return currentLoop; }

void EventLoops::run() {
  std::vector<std::thread> threads;
  for (unsigned i = 1; i < size(); ++i) {
    threads.emplace_back([this, i] { runAs(*loops_[i], i); });
  }
  runAs(*loops_[0], 0);
  for (auto& t : threads) t.join();
}

void EventLoops::stop() {
  guards_.clear();
  for (auto& l : loops_) l->stop();
}

}  // namespace aerie
