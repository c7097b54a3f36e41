#include "media/RetransmissionBuffer.hpp"

#include <algorithm>

namespace aerie {

namespace {

std::size_t powerOfTwoAtLeast(std::size_t n) {
  std::size_t p = 1;
  while (p < n) p <<= 1;
  return p;
}

}  // namespace

RetransmissionBuffer::RetransmissionBuffer(std::size_t slots, std::size_t streams, std::size_t bytesPerSlot)
    : slots_(std::clamp<std::size_t>(slots, 1, kMaxSlots)),
      streams_(std::max<std::size_t>(streams, 1)),
      capacity_(std::max(slots_ * bytesPerSlot, kMaxPacket)),
      indexSize_(powerOfTwoAtLeast(slots_)),
      entries_(std::make_unique<Entry[]>(slots_)),
      index_(std::make_unique<std::uint16_t[]>(streams_ * indexSize_)),
      // Not zero-filled: its pages are touched as packets come (and only bytes a store wrote are
      // ever read).
      bytes_(std::make_unique_for_overwrite<std::uint8_t[]>(capacity_)) {}

std::size_t RetransmissionBuffer::slotsForLayers(std::size_t topSlots, std::size_t layers) {
  std::size_t total = 0;
  for (std::size_t i = 0; i < std::max<std::size_t>(layers, 1); ++i) total += std::max<std::size_t>(topSlots >> i, 1);
  return std::min(total, kMaxSlots);
}

void RetransmissionBuffer::store(std::uint16_t seq, std::span<const std::uint8_t> packet, std::size_t stream) {
  if (packet.empty() || packet.size() > kMaxPacket || stream >= streams_) return;
  // A packet's bytes never wrap: one that would cross the ring's end starts at its beginning.
  const std::size_t at = static_cast<std::size_t>(written_ % capacity_);
  if (at + packet.size() > capacity_) written_ += capacity_ - at;
  const std::uint64_t start = written_;
  written_ += packet.size();
  std::copy(packet.begin(), packet.end(), bytes_.get() + start % capacity_);
  const std::size_t entry = next_;
  next_ = next_ + 1 == slots_ ? 0 : next_ + 1;
  entries_[entry] = Entry{start, seq, static_cast<std::uint16_t>(packet.size()), static_cast<std::uint16_t>(stream)};
  index_[stream * indexSize_ + (seq & (indexSize_ - 1))] = static_cast<std::uint16_t>(entry);
}

std::span<const std::uint8_t> RetransmissionBuffer::find(std::uint16_t seq, std::size_t stream) const {
  if (stream >= streams_) return {};
  const Entry& e = entries_[index_[stream * indexSize_ + (seq & (indexSize_ - 1))]];
  // Still there: its entry not given to another packet, its bytes not written over (what was
  // stored after it fits in the rest of the ring).
  if (e.length == 0 || e.seq != seq || e.stream != stream || written_ - e.start > capacity_) return {};
  return {bytes_.get() + e.start % capacity_, e.length};
}

}  // namespace aerie
