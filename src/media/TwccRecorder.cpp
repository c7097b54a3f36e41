#include "media/TwccRecorder.hpp"

namespace aerie {

void TwccRecorder::record(std::uint16_t seq, std::int64_t arrivalUs) {
  if (!primed_) {
    seqOf_.fill(-1);
    primed_ = true;
  }
  std::int64_t unwrapped = seq;
  if (highest_ >= 0) {
    unwrapped = highest_ + static_cast<std::int16_t>(static_cast<std::uint16_t>(seq - static_cast<std::uint16_t>(highest_)));
  } else {
    unwrapped += 1 << 16;  // room below the first number for reordered ones
  }
  if (nextBase_ < 0) nextBase_ = unwrapped;
  if (unwrapped < nextBase_) return;  // reported already
  if (unwrapped > highest_) highest_ = unwrapped;
  const auto slot = static_cast<std::size_t>(unwrapped % static_cast<std::int64_t>(kSlots));
  arrival_[slot] = arrivalUs;
  seqOf_[slot] = unwrapped;
}

std::size_t TwccRecorder::feedback(std::span<std::uint8_t> out, std::uint32_t senderSsrc,
                                   std::uint32_t mediaSsrc) {
  if (!pending()) return 0;
  const auto limit = static_cast<std::int64_t>(RtcpWriter::kMaxFeedbackPackets);
  if (highest_ - nextBase_ + 1 > limit) nextBase_ = highest_ - limit + 1;  // too old to matter
  const auto n = static_cast<std::size_t>(highest_ - nextBase_ + 1);
  for (std::size_t i = 0; i < n; ++i) {
    const std::int64_t u = nextBase_ + static_cast<std::int64_t>(i);
    const auto slot = static_cast<std::size_t>(u % static_cast<std::int64_t>(kSlots));
    scratch_[i] = seqOf_[slot] == u ? arrival_[slot] : RtcpWriter::kNotReceived;
  }
  const std::size_t size = RtcpWriter::transportFeedback(
      out, senderSsrc, mediaSsrc, static_cast<std::uint16_t>(nextBase_), feedbackCount_,
      std::span<const std::int64_t>(scratch_.data(), n));
  if (size == 0) return 0;
  ++feedbackCount_;
  nextBase_ = highest_ + 1;
  return size;
}

}  // namespace aerie
