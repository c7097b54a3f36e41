#pragma once
// The audio the bot's publishers send: a 440 Hz tone whose loudness swells once a second,
// encoded once, at start, with libopus (48 kHz mono, 20 ms frames, 32 kbit/s) into a clip of
// whole seconds that the publishers loop over. Read-only once built; every loop shares one.
#include <cstdint>
#include <vector>

namespace aerie::bot {

class AudioSource {
 public:
  static constexpr unsigned kSampleRate = 48000;
  static constexpr unsigned kFrameSamples = 960;  // 20 ms
  static constexpr unsigned kFrameMs = 20;

  // Throws std::runtime_error if libopus refuses.
  explicit AudioSource(double clipSeconds);

  const std::vector<std::uint8_t>& frame(std::size_t position) const { return frames_[position]; }
  std::size_t size() const { return frames_.size(); }

 private:
  std::vector<std::vector<std::uint8_t>> frames_;
};

}  // namespace aerie::bot
