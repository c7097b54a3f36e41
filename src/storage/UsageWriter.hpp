#pragma once
// The storage worker: usage records are handed over from the room loops and written by one
// thread of its own, in batches of one transaction each, so no loop ever waits on the disk.
// At most Limits::maxPendingUsageRecords wait; beyond that the newest are dropped and counted
// (a stalled disk must not grow the server without bound or stop its signaling).
#include <atomic>
#include <condition_variable>
#include <cstdint>
#include <mutex>
#include <thread>
#include <vector>

#include "storage/AppStore.hpp"

namespace aerie {

class UsageWriter {
 public:
  UsageWriter(AppStore& store, std::size_t maxPending);
  UsageWriter(const UsageWriter&) = delete;
  UsageWriter& operator=(const UsageWriter&) = delete;
  ~UsageWriter();  // stop()

  // Any thread; never blocks on the store. False when the queue was full (the record is lost).
  bool enqueue(SessionRecord record);
  // Writes everything queued so far, then returns (tests, shutdown).
  void drain();
  // Writes what is queued and ends the thread. Idempotent.
  void stop();

  std::size_t pending();  // records waiting (not the batch being written)
  std::uint64_t written() const { return written_.load(); }
  std::uint64_t dropped() const { return dropped_.load(); }
  std::uint64_t failed() const { return failed_.load(); }  // lost to store errors
  std::uint64_t batches() const { return batches_.load(); }

 private:
  enum class State { Running, Stopping, Stopped };
  void run();

  AppStore& store_;
  const std::size_t maxPending_;
  std::mutex mutex_;
  std::condition_variable wake_;
  std::condition_variable idle_;
  std::vector<SessionRecord> queue_;
  bool writing_ = false;
  State state_ = State::Running;
  std::atomic<std::uint64_t> written_{0};
  std::atomic<std::uint64_t> dropped_{0};
  std::atomic<std::uint64_t> failed_{0};
  std::atomic<std::uint64_t> batches_{0};
  std::thread thread_;
};

}  // namespace aerie
