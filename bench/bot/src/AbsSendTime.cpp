#include "AbsSendTime.hpp"

namespace aerie::bot {

std::uint64_t AbsSendTime::ticks(Clock::duration sinceEpoch) {
  const auto micros = std::chrono::duration_cast<std::chrono::microseconds>(sinceEpoch).count();
  if (micros <= 0) return 0;
  return static_cast<std::uint64_t>(micros) * kTicksPerSecond / 1'000'000u;
}

std::uint32_t AbsSendTime::next(Clock::duration sinceEpoch) {
  std::uint64_t t = ticks(sinceEpoch);
  if (any_ && t <= last_) t = last_ + 1;
  any_ = true;
  last_ = t;
  return static_cast<std::uint32_t>(t & kMask);
}

void AbsSendTime::write(std::uint8_t* out, std::uint32_t stamp) {
  out[0] = static_cast<std::uint8_t>(stamp >> 16);
  out[1] = static_cast<std::uint8_t>(stamp >> 8);
  out[2] = static_cast<std::uint8_t>(stamp);
}

std::optional<std::uint32_t> AbsSendTime::read(std::span<const std::uint8_t> value) {
  if (value.size() != kSize) return std::nullopt;
  return static_cast<std::uint32_t>(value[0]) << 16 | static_cast<std::uint32_t>(value[1]) << 8 | value[2];
}

}  // namespace aerie::bot
