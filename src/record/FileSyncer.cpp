#include "record/FileSyncer.hpp"

#include <cerrno>
#include <system_error>
#include <unistd.h>

#include "core/Log.hpp"

namespace aerie {

FileSyncer::~FileSyncer() {
  {
    std::lock_guard lock(mutex_);
    if (state_ == State::Idle) return;
    state_ = State::Stopping;
  }
  wake_.notify_all();
  thread_.join();
}

void FileSyncer::hand(int fd, std::string path) {
  {
    std::lock_guard lock(mutex_);
    queue_.push_back({fd, std::move(path)});
    if (state_ == State::Idle) {
      state_ = State::Running;
      thread_ = std::thread([this] { run(); });
    }
  }
  wake_.notify_one();
}

void FileSyncer::drain() {
  std::unique_lock lock(mutex_);
  idle_.wait(lock, [this] { return queue_.empty() && !syncing_; });
}

void FileSyncer::run() {
  std::unique_lock lock(mutex_);
  for (;;) {
    wake_.wait(lock, [this] { return !queue_.empty() || state_ == State::Stopping; });
    if (queue_.empty()) return;  // stopping, and everything is synced
    Handed next = std::move(queue_.front());
    queue_.pop_front();
    syncing_ = true;
    lock.unlock();
    const bool ok = ::fdatasync(next.fd) == 0;
    const int error = errno;
    ::close(next.fd);
    if (ok) {
      synced_.fetch_add(1);
    } else {
      failed_.fetch_add(1);
      log::warn("media", "recording file not synced to disk", {{"file", next.path}, {"error", std::error_code(error, std::generic_category()).message()}});
    }
    lock.lock();
    syncing_ = false;
    if (queue_.empty()) idle_.notify_all();
  }
}

}  // namespace aerie
