#pragma once
// When each RTP packet left its publisher, for the latency of bots receiving from bots in the
// same process. A packet is known by its publisher (the client's index) and its abs-send-time
// stamp (AbsSendTime), which is unique among that publisher's packets of the last 64 s and which
// the SFU forwards untouched, also where it rewrites SSRC and sequence numbers (simulcast). The
// stamp itself is only good to a tick (3.8 µs); the table keeps the exact send time (the
// monotonic clock just before the packet's encryption and sendto), so the latency is as exact
// as the clock. Per publisher a ring of kSlots by stamp, each slot one atomic word (µs since the
// run's epoch << 24 | stamp), so a publisher on one thread and its subscribers on others need
// no lock. A publisher's stamps only grow, so kSlots of them in a row fall in distinct slots; a
// slot reused since (4,096 ticks, at least 15.6 ms, later, by a packet that hit it) no longer
// matches the stamp and yields nothing.
#include <atomic>
#include <chrono>
#include <cstdint>
#include <memory>
#include <optional>

namespace aerie::bot {

class SendTimes {
 public:
  using Clock = std::chrono::steady_clock;
  static constexpr std::size_t kSlots = 4096;

  SendTimes(std::size_t publishers, Clock::time_point epoch);

  std::size_t publishers() const { return publishers_; }
  Clock::time_point epoch() const { return epoch_; }

  void record(std::size_t publisher, std::uint32_t stamp, Clock::time_point sent);
  // When `publisher` sent the packet stamped `stamp`; nullopt for a publisher not ours or a
  // slot reused since.
  std::optional<Clock::time_point> find(std::size_t publisher, std::uint32_t stamp) const;

 private:
  std::atomic<std::uint64_t>* slot(std::size_t publisher, std::uint32_t stamp) const;

  std::size_t publishers_;
  Clock::time_point epoch_;
  std::unique_ptr<std::atomic<std::uint64_t>[]> slots_;
};

}  // namespace aerie::bot
