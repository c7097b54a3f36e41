#pragma once
// One subscriber's view of one simulcast track: which layer it is sent, and the rewriting that
// makes the layers one stream for it (the track's one SSRC, and sequence numbers, timestamps and
// VP8 PictureID and TL0PICIDX that carry on across a switch: a receiver that saw the PictureID
// jump back to another layer's numbers would drop the new layer's frames as stale). A switch happens only at a key frame of the new layer, so the
// picture never breaks: until one comes the subscriber keeps getting the old layer (and the
// publisher is asked for one). The layer is aimed at by the subscriber's bandwidth estimate
// (aim(), from LayerAllocator); for a subscriber without one it follows its reported loss: it
// steps down when more than ~10 % of a second's packets were lost, and after a quiet while
// steps up again to try the next one. Pure: no clock of its own, no allocation.
#include <chrono>
#include <cstdint>
#include <optional>
#include <utility>

namespace aerie {

class LayerSwitch {
 public:
  using Clock = std::chrono::steady_clock;
  enum class Verdict : std::uint8_t { Drop, Forward, NeedKeyframe };
  // A VP8 packet's picture numbering (-1: the field is absent).
  struct Vp8Ids {
    int pictureId = -1;
    bool longPictureId = true;  // 15 bits, else 7
    int tl0PicIdx = -1;
  };

  // `layers` the track has (1..3); the subscriber starts aiming at the highest.
  explicit LayerSwitch(int layers) : top_(layers - 1), highestActive_(layers - 1), target_(layers - 1) {}

  // A packet of `layer`: Forward (then out*() give its new numbers), Drop, or NeedKeyframe
  // (the subscriber waits for a key frame of this layer: ask the publisher for one).
  Verdict onPacket(int layer, bool keyframeStart, std::uint16_t sequence, std::uint32_t timestamp, Vp8Ids ids);
  Verdict onPacket(int layer, bool keyframeStart, std::uint16_t sequence, std::uint32_t timestamp);
  std::uint16_t outSequence(std::uint16_t sequence) const { return static_cast<std::uint16_t>(sequence - sequenceOffset_); }
  std::uint32_t outTimestamp(std::uint32_t timestamp) const { return timestamp - timestampOffset_; }
  // 15 bits (a 7-bit field keeps the low 7 when written).
  std::uint16_t outPictureId(std::uint16_t id) const { return static_cast<std::uint16_t>((id - pictureIdOffset_) & 0x7FFF); }
  std::uint8_t outTl0PicIdx(std::uint8_t index) const { return static_cast<std::uint8_t>(index - tl0Offset_); }
  // The layer and the incoming sequence number of a packet this subscriber was sent as
  // `outSequence`; nullopt if it was sent before the last switch.
  std::optional<std::pair<int, std::uint16_t>> original(std::uint16_t outSequence) const;

  // The subscriber's receiver report for the track: fraction lost of 256. The fallback for a
  // subscriber that sends neither transport-cc feedback nor REMB.
  void onLoss(std::uint8_t fractionLost, Clock::time_point now);
  // The layer a bandwidth estimate chose for this subscriber (LayerAllocator), within the
  // layers the publisher sends now; the switch still waits for that layer's key frame.
  void aim(int layer);
  // The highest layer the publisher sends now (a browser leaves out layers its picture is too
  // small for, or its uplink cannot carry, and adds them later): the target is the aim capped
  // by it, so a subscription made before the higher layers arrive moves up when they do.
  void setHighestActive(int layer);

  int current() const { return current_; }
  int target() const { return target_; }

  // Loss above this (of 256) steps down a layer; at most this much lets it probe up.
  static constexpr std::uint8_t kStepDownLoss = 26;  // ~10 %
  static constexpr std::uint8_t kProbeLoss = 5;      // ~2 %
  static constexpr auto kHoldAfterStepDown = std::chrono::seconds(6);
  static constexpr auto kProbeInterval = std::chrono::seconds(3);

 private:
  int top_;
  int highestActive_;
  int preferred_ = top_;  // the aim (allocator or loss rule), before the cap
  int target_;
  int current_ = -1;  // none yet
  bool sent_ = false;
  std::uint16_t sequenceOffset_ = 0;
  std::uint32_t timestampOffset_ = 0;
  std::uint16_t lastSequence_ = 0;  // the last sent, outgoing
  std::uint32_t lastTimestamp_ = 0;
  std::uint32_t frameTicks_ = 3000;  // the last frame interval seen (90 kHz: 30 fps)
  std::uint16_t switchedAt_ = 0;     // the first outgoing sequence number after the last switch
  std::uint16_t pictureIdOffset_ = 0;
  std::uint8_t tl0Offset_ = 0;
  int lastPictureId_ = -1;  // the newest sent, outgoing (-1: none yet)
  int lastTl0_ = -1;
  Clock::time_point lastChange_{};
  Clock::time_point holdUntil_{};
};

}  // namespace aerie
