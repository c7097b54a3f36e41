#pragma once
// The video the bot's publishers send: a generated moving picture (a drifting gradient and a
// square crossing it) encoded once, at start, with libvpx's VP8 encoder in real-time mode
// (constant bitrate, no lag) into a clip of `clipSeconds` whose first frame is a key frame.
// Publishers loop over the clip, each at its own position, and jump back to its start when a
// receiver asks for a key frame (PLI/FIR): every publisher's stream stays a valid VP8 stream,
// and no encoding runs on the event loops while they measure latency. Read-only once built,
// so every loop shares one.
#include <cstdint>
#include <vector>

#include "VideoFormat.hpp"

namespace aerie::bot {

class VideoSource {
 public:
  struct Frame {
    bool keyframe = false;
    std::vector<std::uint8_t> data;
  };

  // Throws std::runtime_error if libvpx refuses the settings.
  VideoSource(const VideoFormat& format, double clipSeconds);

  // Frame `position` of the clip (position < size()).
  const Frame& frame(std::size_t position) const { return frames_[position]; }
  std::size_t size() const { return frames_.size(); }
  const VideoFormat& format() const { return format_; }
  std::uint64_t bytes() const;

 private:
  VideoFormat format_;
  std::vector<Frame> frames_;
};

}  // namespace aerie::bot
