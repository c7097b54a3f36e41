#include "sfu/LayerSwitch.hpp"

#include <algorithm>

namespace aerie {

LayerSwitch::Verdict LayerSwitch::onPacket(int layer, bool keyframeStart, std::uint16_t sequence,
                                           std::uint32_t timestamp) {
  return onPacket(layer, keyframeStart, sequence, timestamp, Vp8Ids{});
}

LayerSwitch::Verdict LayerSwitch::onPacket(int layer, bool keyframeStart, std::uint16_t sequence,
                                           std::uint32_t timestamp, Vp8Ids ids) {
  if (layer != current_) {
    // The first key frame of any layer starts the stream (the aimed-for one may not be sent);
    // after that only the target layer's key frame switches.
    const bool wanted = layer == target_ || (current_ < 0 && layer <= target_);
    if (!wanted) return Verdict::Drop;
    if (!keyframeStart) return Verdict::NeedKeyframe;
    if (sent_) {
      sequenceOffset_ = static_cast<std::uint16_t>(sequence - static_cast<std::uint16_t>(lastSequence_ + 1));
      timestampOffset_ = timestamp - (lastTimestamp_ + frameTicks_);
      // The new layer's key frame is the picture after the last one sent.
      if (ids.pictureId >= 0 && lastPictureId_ >= 0) {
        const int mask = ids.longPictureId ? 0x7FFF : 0x7F;
        pictureIdOffset_ = static_cast<std::uint16_t>((ids.pictureId - ((lastPictureId_ + 1) & mask)) & mask);
      }
      if (ids.tl0PicIdx >= 0 && lastTl0_ >= 0) tl0Offset_ = static_cast<std::uint8_t>(ids.tl0PicIdx - (lastTl0_ + 1));
    } else {
      sequenceOffset_ = 0;
      timestampOffset_ = 0;
      pictureIdOffset_ = 0;
      tl0Offset_ = 0;
    }
    current_ = layer;
    switchedAt_ = outSequence(sequence);
  }
  const std::uint16_t out = outSequence(sequence);
  const std::uint32_t outTs = outTimestamp(timestamp);
  if (!sent_ || static_cast<std::int16_t>(out - lastSequence_) > 0) {
    if (sent_ && outTs != lastTimestamp_ && outTs - lastTimestamp_ < 90000) frameTicks_ = outTs - lastTimestamp_;
    lastSequence_ = out;
    lastTimestamp_ = outTs;
    sent_ = true;
  }
  if (ids.pictureId >= 0) {
    const int mask = ids.longPictureId ? 0x7FFF : 0x7F;
    const int out = outPictureId(static_cast<std::uint16_t>(ids.pictureId)) & mask;
    const int ahead = (out - lastPictureId_) & mask;
    if (lastPictureId_ < 0 || (ahead != 0 && ahead < (mask + 1) / 2)) lastPictureId_ = out;
  }
  if (ids.tl0PicIdx >= 0) {
    const int out = outTl0PicIdx(static_cast<std::uint8_t>(ids.tl0PicIdx));
    const int ahead = (out - lastTl0_) & 0xFF;
    if (lastTl0_ < 0 || (ahead != 0 && ahead < 128)) lastTl0_ = out;
  }
  return Verdict::Forward;
}

std::optional<std::pair<int, std::uint16_t>> LayerSwitch::original(std::uint16_t outSequence) const {
  if (current_ < 0 || static_cast<std::int16_t>(outSequence - switchedAt_) < 0) return std::nullopt;
  return std::pair{current_, static_cast<std::uint16_t>(outSequence + sequenceOffset_)};
}

void LayerSwitch::setHighestActive(int layer) {
  if (layer < 0 || layer > top_) return;
  highestActive_ = layer;
  target_ = std::min(preferred_, highestActive_);
}

void LayerSwitch::aim(int layer) {
  preferred_ = std::clamp(layer, 0, top_);
  target_ = std::min(preferred_, highestActive_);
}

void LayerSwitch::onLoss(std::uint8_t fractionLost, Clock::time_point now) {
  if (current_ < 0) return;
  if (fractionLost > kStepDownLoss) {
    if (current_ > 0 && now - lastChange_ >= std::chrono::seconds(1)) {
      aim(current_ - 1);
      lastChange_ = now;
    }
    holdUntil_ = now + kHoldAfterStepDown;
    return;
  }
  if (fractionLost <= kProbeLoss && target_ == current_ && current_ < std::min(top_, highestActive_) && now >= holdUntil_ &&
      now - lastChange_ >= kProbeInterval) {
    aim(current_ + 1);
    lastChange_ = now;
  }
}

}  // namespace aerie
