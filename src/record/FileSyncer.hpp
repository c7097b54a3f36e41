#pragma once
// Finished recording files made durable off the media loops: a closed WebmWriter hands its
// descriptor here, and one thread of this class fdatasync()s and closes it (2-4 ms per file on
// this machine, which would otherwise stall the room's loop once per publisher when its
// recording stops). What the file holds is already in the kernel when it is handed over, so
// readers (a download, the kill -9 case) see every byte at once; the sync is only for the disk.
// The thread starts with the first file; the destructor syncs what is queued, then joins.
#include <atomic>
#include <condition_variable>
#include <cstdint>
#include <deque>
#include <mutex>
#include <string>
#include <thread>

namespace aerie {

class FileSyncer {
 public:
  FileSyncer() = default;
  FileSyncer(const FileSyncer&) = delete;
  FileSyncer& operator=(const FileSyncer&) = delete;
  ~FileSyncer();

  // Any thread; takes ownership of `fd`. `path` names it in the log if the sync fails.
  void hand(int fd, std::string path);
  // Returns once everything handed so far is synced and closed (tests, shutdown).
  void drain();

  std::uint64_t synced() const { return synced_.load(); }
  std::uint64_t failed() const { return failed_.load(); }

 private:
  enum class State { Idle, Running, Stopping };
  struct Handed {
    int fd;
    std::string path;
  };
  void run();

  std::mutex mutex_;
  std::condition_variable wake_;
  std::condition_variable idle_;
  std::deque<Handed> queue_;
  bool syncing_ = false;
  State state_ = State::Idle;
  std::atomic<std::uint64_t> synced_{0};
  std::atomic<std::uint64_t> failed_{0};
  std::thread thread_;
};

}  // namespace aerie
