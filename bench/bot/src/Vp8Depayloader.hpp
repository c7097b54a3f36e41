#pragma once
// Reassembles VP8 frames from RTP payloads (RFC 7741 section 4.5): a frame starts with the
// packet whose descriptor has S=1 and partition 0, continues with consecutive sequence numbers
// and ends with the RTP marker. A gap (a lost or reordered packet) drops the frame being built
// and everything until the next start. The receiver then asks for a key frame when it wants to
// decode. Not thread-safe; one per received video track.
#include <cstdint>
#include <span>
#include <vector>

namespace aerie::bot {

class Vp8Depayloader {
 public:
  // Idle: waiting for the first packet of a frame. Assembling: inside one.
  enum class State : std::uint8_t { Idle, Assembling };
  // What one packet did. Frame: frame() holds a whole frame until the next push. Skipped: the
  // packet belongs to no frame being built (after a gap, until the next start).
  enum class Result : std::uint8_t { Partial, Frame, Skipped, Invalid };
  static const char* toString(Result result);

  // A frame larger than this is dropped (a 1080p key frame is well under 1 MiB).
  static constexpr std::size_t kMaxFrameBytes = 1 << 20;

  Result push(std::uint16_t sequence, bool marker, std::span<const std::uint8_t> payload);

  std::span<const std::uint8_t> frame() const { return frame_; }
  bool keyframe() const { return keyframe_; }
  State state() const { return state_; }
  // Frames abandoned: a gap inside them, a new start before their end, or too large.
  std::uint64_t dropped() const { return dropped_; }

 private:
  State state_ = State::Idle;
  std::uint16_t next_ = 0;
  bool keyframe_ = false;
  std::vector<std::uint8_t> frame_;
  std::uint64_t dropped_ = 0;
};

}  // namespace aerie::bot
