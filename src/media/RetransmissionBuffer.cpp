#include "media/RetransmissionBuffer.hpp"

#include <algorithm>

namespace aerie {

RetransmissionBuffer::RetransmissionBuffer(std::size_t slots)
    : slots_(slots == 0 ? 1 : slots),
      index_(std::make_unique<Slot[]>(slots_)),
      bytes_(std::make_unique<std::uint8_t[]>(slots_ * kMaxPacket)) {}

void RetransmissionBuffer::store(std::uint16_t seq, std::span<const std::uint8_t> packet) {
  Slot& slot = index_[seq % slots_];
  if (packet.empty() || packet.size() > kMaxPacket) {
    slot.length = 0;
    return;
  }
  std::copy(packet.begin(), packet.end(), bytes_.get() + (seq % slots_) * kMaxPacket);
  slot.seq = seq;
  slot.length = static_cast<std::uint16_t>(packet.size());
}

std::span<const std::uint8_t> RetransmissionBuffer::find(std::uint16_t seq) const {
  const Slot& slot = index_[seq % slots_];
  if (slot.length == 0 || slot.seq != seq) return {};
  return {bytes_.get() + (seq % slots_) * kMaxPacket, slot.length};
}

}  // namespace aerie
