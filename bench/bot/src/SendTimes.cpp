#include "SendTimes.hpp"

#include "AbsSendTime.hpp"

namespace aerie::bot {

SendTimes::SendTimes(std::size_t publishers, Clock::time_point epoch)
    : publishers_(publishers), epoch_(epoch), slots_(new std::atomic<std::uint64_t>[publishers * kSlots]) {
  for (std::size_t i = 0; i < publishers * kSlots; ++i) slots_[i].store(0, std::memory_order_relaxed);
}

std::atomic<std::uint64_t>* SendTimes::slot(std::size_t publisher, std::uint32_t stamp) const {
  if (publisher >= publishers_) return nullptr;
  return &slots_[publisher * kSlots + (stamp & AbsSendTime::kMask) % kSlots];
}

void SendTimes::record(std::size_t publisher, std::uint32_t stamp, Clock::time_point sent) {
  auto* s = slot(publisher, stamp);
  if (s == nullptr || sent < epoch_) return;
  // +1: a slot of 0 is an empty one.
  const auto micros = static_cast<std::uint64_t>(std::chrono::duration_cast<std::chrono::microseconds>(sent - epoch_).count()) + 1;
  s->store(micros << 24 | (stamp & AbsSendTime::kMask), std::memory_order_relaxed);
}

std::optional<SendTimes::Clock::time_point> SendTimes::find(std::size_t publisher, std::uint32_t stamp) const {
  const auto* s = slot(publisher, stamp);
  if (s == nullptr) return std::nullopt;
  const std::uint64_t v = s->load(std::memory_order_relaxed);
  if (v == 0 || (v & AbsSendTime::kMask) != (stamp & AbsSendTime::kMask)) return std::nullopt;
  return epoch_ + std::chrono::microseconds(static_cast<std::int64_t>((v >> 24) - 1));
}

}  // namespace aerie::bot
