#pragma once
// The server's event loops, one thread each, one Hub shard each. A loop's index is its
// shard's: a thread knows which loop it runs (current()), so a caller can tell whether work
// for a shard may run inline or must be posted there.
#include <boost/asio/executor_work_guard.hpp>
#include <boost/asio/io_context.hpp>
#include <memory>
#include <vector>

namespace aerie {

class EventLoops {
 public:
  explicit EventLoops(unsigned count);
  EventLoops(const EventLoops&) = delete;
  EventLoops& operator=(const EventLoops&) = delete;

  unsigned size() const { return static_cast<unsigned>(loops_.size()); }
  boost::asio::io_context& at(unsigned index) { return *loops_[index]; }
  boost::asio::io_context::executor_type executor(unsigned index) {
    return loops_[index]->get_executor();
  }
  // The index of the loop the calling thread runs; kNone off the loops.
  static constexpr unsigned kNone = ~0u;
  static unsigned current();
  // Loop 0 on the calling thread, the others on threads of their own; returns when all stop.
  void run();
  // Lets the loops run out of work and stop.
  void stop();

 private:
  std::vector<std::unique_ptr<boost::asio::io_context>> loops_;
  std::vector<boost::asio::executor_work_guard<boost::asio::io_context::executor_type>> guards_;
};

}  // namespace aerie
