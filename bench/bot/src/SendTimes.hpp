#pragma once
// When each RTP packet left its publisher, for the latency of bots receiving from bots in the
// same process: the SFU forwards a packet with its SSRC and sequence number unchanged, so the
// subscriber finds the send time by those two. The bot's SSRCs are `base + i` for i below
// `tracks`, which makes the table a plain array: a ring of kSlots per track, each slot one
// atomic word (send time in µs << 16 | sequence number), so a publisher on one thread and its
// subscribers on others need no lock. A slot overwritten since (kSlots packets later) no longer
// matches the sequence number and yields nothing.
#include <atomic>
#include <chrono>
#include <cstdint>
#include <memory>
#include <optional>

namespace aerie::bot {

class SendTimes {
 public:
  using Clock = std::chrono::steady_clock;
  static constexpr std::size_t kSlots = 4096;  // 4 s of 1,000 packets/s

  SendTimes(std::uint32_t ssrcBase, std::size_t tracks);

  std::uint32_t ssrcBase() const { return base_; }
  std::size_t tracks() const { return tracks_; }

  void record(std::uint32_t ssrc, std::uint16_t sequence, Clock::time_point sent);
  // When (ssrc, sequence) was sent; nullopt for an SSRC not ours or a slot reused since.
  std::optional<Clock::time_point> find(std::uint32_t ssrc, std::uint16_t sequence) const;

 private:
  std::atomic<std::uint64_t>* slot(std::uint32_t ssrc, std::uint16_t sequence) const;

  std::uint32_t base_;
  std::size_t tracks_;
  std::unique_ptr<std::atomic<std::uint64_t>[]> slots_;
};

}  // namespace aerie::bot
