#include "record/OpusDepacketizer.hpp"

namespace aerie {

OpusDepacketizer::Result OpusDepacketizer::push(std::uint16_t sequence, std::span<const std::uint8_t> payload) {
  if (payload.empty() || payload.size() > kMaxPacketBytes) return Result::Invalid;
  if (started_) {
    const auto ahead = static_cast<std::int16_t>(static_cast<std::uint16_t>(sequence - last_));
    if (ahead <= 0) return Result::Late;
    lost_ += static_cast<std::uint64_t>(ahead - 1);
  }
  started_ = true;
  last_ = sequence;
  return Result::Frame;
}

}  // namespace aerie
