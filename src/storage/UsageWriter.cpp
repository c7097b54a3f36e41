#include "storage/UsageWriter.hpp"

#include <exception>

#include "core/Log.hpp"

namespace aerie {

UsageWriter::UsageWriter(AppStore& store, std::size_t maxPending)
    : store_(store), maxPending_(maxPending), thread_([this] { run(); }) {}

UsageWriter::~UsageWriter() { stop(); }

bool UsageWriter::enqueue(SessionRecord record) {
  {
    std::lock_guard lock(mutex_);
    if (state_ != State::Running || queue_.size() >= maxPending_) {
      dropped_.fetch_add(1, std::memory_order_relaxed);
      return false;
    }
    queue_.push_back(std::move(record));
  }
  wake_.notify_one();
  return true;
}

std::size_t UsageWriter::pending() {
  std::lock_guard lock(mutex_);
  return queue_.size();
}

void UsageWriter::drain() {
  std::unique_lock lock(mutex_);
  idle_.wait(lock, [this] { return (queue_.empty() && !writing_) || state_ == State::Stopped; });
}

void UsageWriter::stop() {
  {
    std::lock_guard lock(mutex_);
    if (state_ != State::Running) return;
    state_ = State::Stopping;
  }
  wake_.notify_one();
  if (thread_.joinable()) thread_.join();
}

void UsageWriter::run() {
  std::vector<SessionRecord> batch;
  std::unique_lock lock(mutex_);
  for (;;) {
    wake_.wait(lock, [this] { return !queue_.empty() || state_ != State::Running; });
    if (queue_.empty()) break;  // stopping with nothing left
    batch.swap(queue_);
    writing_ = true;
    lock.unlock();
    try {
      store_.recordSessions(batch);
      written_.fetch_add(batch.size(), std::memory_order_relaxed);
    } catch (const std::exception& e) {
      // A lost batch must not cost the peers their signaling: log, count and go on.
      failed_.fetch_add(batch.size(), std::memory_order_relaxed);
      log::warn("usage", "cannot record sessions", {{"error", e.what()}});
    }
    batches_.fetch_add(1, std::memory_order_relaxed);
    batch.clear();
    lock.lock();
    writing_ = false;
    if (queue_.empty()) idle_.notify_all();
  }
  state_ = State::Stopped;
  writing_ = false;
  idle_.notify_all();
}

}  // namespace aerie
