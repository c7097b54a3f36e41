#include "Vp8Depayloader.hpp"

#include "codec/Vp8Descriptor.hpp"

namespace aerie::bot {

const char* Vp8Depayloader::toString(Result result) {
  switch (result) {
    case Result::Partial:
      return "partial";
    case Result::Frame:
      return "frame";
    case Result::Skipped:
      return "skipped";
    case Result::Invalid:
      return "invalid";
  }
  return "?";
}

Vp8Depayloader::Result Vp8Depayloader::push(std::uint16_t sequence, bool marker,
                                            std::span<const std::uint8_t> payload) {
  const auto d = Vp8Descriptor::parse(payload);
  if (!d) return Result::Invalid;
  const auto data = payload.subspan(d->size);
  if (d->start && d->partition == 0) {
    // A new frame; one still open lost its end.
    if (state_ == State::Assembling) ++dropped_;
    state_ = State::Assembling;
    keyframe_ = d->keyframe;
    frame_.clear();
  } else if (state_ != State::Assembling || sequence != next_) {
    if (state_ == State::Assembling) ++dropped_;
    state_ = State::Idle;
    return Result::Skipped;
  }
  if (frame_.size() + data.size() > kMaxFrameBytes) {
    ++dropped_;
    state_ = State::Idle;
    return Result::Skipped;
  }
  frame_.insert(frame_.end(), data.begin(), data.end());
  next_ = static_cast<std::uint16_t>(sequence + 1);
  if (!marker) return Result::Partial;
  state_ = State::Idle;
  return Result::Frame;
}

}  // namespace aerie::bot
