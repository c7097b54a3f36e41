#include "media/TwccSendHistory.hpp"

namespace aerie {

std::uint16_t TwccSendHistory::next(std::int64_t sendUs, std::size_t bytes) {
  Slot& s = slots_[next_ % kSlots];
  s.number = next_;
  s.sendUs = sendUs;
  s.bytes = static_cast<std::uint32_t>(bytes);
  return static_cast<std::uint16_t>(next_++);
}

std::optional<TwccSendHistory::Sent> TwccSendHistory::take(std::uint16_t sequence) {
  if (next_ == 0) return std::nullopt;
  // The newest number with these low 16 bits that was handed out.
  const std::uint64_t newest = next_ - 1;
  const auto back = static_cast<std::uint16_t>(static_cast<std::uint16_t>(newest) - sequence);
  if (back > newest) return std::nullopt;
  const std::uint64_t number = newest - back;
  Slot& s = slots_[number % kSlots];
  if (s.number != number) return std::nullopt;
  s.number = ~std::uint64_t{0};
  return Sent{s.sendUs, s.bytes};
}

}  // namespace aerie
