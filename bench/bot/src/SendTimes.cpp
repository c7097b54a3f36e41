#include "SendTimes.hpp"

namespace aerie::bot {

namespace {
std::uint64_t micros(SendTimes::Clock::time_point t) {
  return static_cast<std::uint64_t>(
      std::chrono::duration_cast<std::chrono::microseconds>(t.time_since_epoch()).count());
}
}  // namespace

SendTimes::SendTimes(std::uint32_t ssrcBase, std::size_t tracks)
    : base_(ssrcBase), tracks_(tracks), slots_(new std::atomic<std::uint64_t>[tracks * kSlots]) {
  for (std::size_t i = 0; i < tracks * kSlots; ++i) slots_[i].store(0, std::memory_order_relaxed);
}

std::atomic<std::uint64_t>* SendTimes::slot(std::uint32_t ssrc, std::uint16_t sequence) const {
  const std::uint32_t track = ssrc - base_;  // wraps to a large number below the base
  if (track >= tracks_) return nullptr;
  return &slots_[track * kSlots + sequence % kSlots];
}

void SendTimes::record(std::uint32_t ssrc, std::uint16_t sequence, Clock::time_point sent) {
  if (auto* s = slot(ssrc, sequence)) s->store(micros(sent) << 16 | sequence, std::memory_order_relaxed);
}

std::optional<SendTimes::Clock::time_point> SendTimes::find(std::uint32_t ssrc, std::uint16_t sequence) const {
  const auto* s = slot(ssrc, sequence);
  if (s == nullptr) return std::nullopt;
  const std::uint64_t v = s->load(std::memory_order_relaxed);
  if (v == 0 || (v & 0xFFFF) != sequence) return std::nullopt;
  return Clock::time_point(std::chrono::microseconds(v >> 16));
}

}  // namespace aerie::bot
