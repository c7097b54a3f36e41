#include "record/Vp8FrameAssembler.hpp"

#include <algorithm>

#include "codec/Vp8Descriptor.hpp"

namespace aerie {
namespace {

// a - b in sequence number space (RFC 3550 wrap), positive when a is newer.
int distance(std::uint16_t a, std::uint16_t b) { return static_cast<std::int16_t>(static_cast<std::uint16_t>(a - b)); }

}  // namespace

const char* Vp8FrameAssembler::toString(Result result) {
  switch (result) {
    case Result::Partial: return "partial";
    case Result::Frame: return "frame";
    case Result::Late: return "late";
    case Result::Invalid: return "invalid";
  }
  return "?";
}

Vp8FrameAssembler::Vp8FrameAssembler() : slots_(std::make_unique<std::array<Slot, kWindow>>()) {
  buffer_.reserve(kMaxFrameBytes);
}

Vp8FrameAssembler::Slot* Vp8FrameAssembler::held(std::uint16_t sequence, std::uint32_t timestamp) {
  Slot& s = (*slots_)[sequence % kWindow];
  return s.used && s.sequence == sequence && s.timestamp == timestamp ? &s : nullptr;
}

Vp8FrameAssembler::Result Vp8FrameAssembler::push(std::uint16_t sequence, std::uint32_t timestamp,
                                                  bool marker, std::span<const std::uint8_t> payload) {
  if (started_ && distance(sequence, lastSequence_) <= 0) return Result::Late;
  const auto d = Vp8Descriptor::parse(payload);
  if (!d || payload.size() - d->size > kMaxPacketBytes) return Result::Invalid;
  Slot& slot = (*slots_)[sequence % kWindow];
  slot.used = true;
  slot.sequence = sequence;
  slot.timestamp = timestamp;
  slot.marker = marker;
  slot.start = d->start && d->partition == 0;
  slot.keyframe = d->keyframe;
  slot.width = d->width;
  slot.height = d->height;
  slot.size = static_cast<std::uint16_t>(payload.size() - d->size);
  std::copy(payload.begin() + static_cast<std::ptrdiff_t>(d->size), payload.end(), slot.data.begin());

  // The frame this packet belongs to: back to its start, forward to its marker, every packet
  // of the same timestamp present.
  std::uint16_t first = sequence;
  for (std::size_t n = 0; !held(first, timestamp)->start; ++n) {
    const auto prev = static_cast<std::uint16_t>(first - 1);
    if (n + 1 >= kWindow || held(prev, timestamp) == nullptr) return Result::Partial;
    first = prev;
  }
  std::uint16_t last = sequence;
  for (std::size_t n = 0; !held(last, timestamp)->marker; ++n) {
    const auto next = static_cast<std::uint16_t>(last + 1);
    if (n + 1 >= kWindow || held(next, timestamp) == nullptr) return Result::Partial;
    last = next;
  }
  if (started_ && distance(first, lastSequence_) <= 0) return Result::Late;
  return emit(first, last) ? Result::Frame : Result::Invalid;
}

bool Vp8FrameAssembler::emit(std::uint16_t first, std::uint16_t last) {
  const bool afterLoss = lossPending_ || (started_ && static_cast<std::uint16_t>(lastSequence_ + 1) != first);
  // Whatever is older than this frame can no longer be given out: frames lost in between are
  // counted once each by their first packet's timestamp change.
  if (afterLoss) ++dropped_;
  buffer_.clear();
  bool tooLarge = false;
  const Slot& head = (*slots_)[first % kWindow];
  frame_ = Frame{};
  frame_.timestamp = head.timestamp;
  frame_.keyframe = head.keyframe;
  frame_.width = head.width;
  frame_.height = head.height;
  for (std::uint16_t s = first;; ++s) {
    Slot& slot = (*slots_)[s % kWindow];
    if (!tooLarge && buffer_.size() + slot.size <= kMaxFrameBytes) {
      buffer_.insert(buffer_.end(), slot.data.begin(), slot.data.begin() + slot.size);
    } else {
      tooLarge = true;
    }
    slot.used = false;
    if (s == last) break;
  }
  started_ = true;
  lastSequence_ = last;
  if (tooLarge) {
    ++dropped_;
    lossPending_ = true;  // the next frame refers to this one
    return false;
  }
  lossPending_ = false;
  frame_.data = buffer_;
  frame_.afterLoss = afterLoss;
  return true;
}

}  // namespace aerie
