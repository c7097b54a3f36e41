#pragma once
// usrsctp, the one SCTP stack of the process (RFC 8831 data channels run SCTP over DTLS). The
// library is a single global stack that is not thread-safe, so every call into it holds
// mutex(); it runs without threads of its own (usrsctp_init_nothreads), and its timers advance
// when a media loop calls handleTimers(). Packets the stack wants to send and messages it
// delivers are queued on their SctpAssociation under that mutex and handed over on the
// association's own loop (SctpAssociation::flush). Associations are known to the stack by a
// number, never by a pointer, so that a late callback for a closed association finds nothing.
#include <chrono>
#include <cstdint>
#include <mutex>
#include <unordered_map>

namespace aerie {

class SctpAssociation;

class SctpStack {
 public:
  using Clock = std::chrono::steady_clock;

  // Initialises usrsctp on first use; lives until the process ends.
  static SctpStack& instance();

  std::mutex& mutex() { return mutex_; }
  // Runs usrsctp's timers for the time since the last call (from any loop; the first caller in
  // each 10 ms does the work). Takes the mutex.
  void handleTimers(Clock::time_point now);

  // With the mutex held.
  std::uintptr_t add(SctpAssociation& association);
  void remove(std::uintptr_t id);
  SctpAssociation* find(std::uintptr_t id) const;

 private:
  SctpStack();
  static int onOutput(void* address, void* buffer, std::size_t length, std::uint8_t tos,
                      std::uint8_t setDf);

  std::mutex mutex_;
  Clock::time_point lastTimers_;
  std::uintptr_t nextId_ = 1;
  std::unordered_map<std::uintptr_t, SctpAssociation*> associations_;
};

}  // namespace aerie
