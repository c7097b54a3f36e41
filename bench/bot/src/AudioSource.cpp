#include "AudioSource.hpp"

#include <opus/opus.h>

#include <array>
#include <cmath>
#include <numbers>
#include <stdexcept>
#include <string>

namespace aerie::bot {

AudioSource::AudioSource(double clipSeconds) {
  int error = 0;
  OpusEncoder* opus = opus_encoder_create(kSampleRate, 1, OPUS_APPLICATION_VOIP, &error);
  if (error != OPUS_OK || opus == nullptr) {
    throw std::runtime_error(std::string("libopus: encoder: ") + opus_strerror(error));
  }
  opus_encoder_ctl(opus, OPUS_SET_BITRATE(32000));
  // Whole seconds, so that the swell loops without a jump.
  const auto seconds = static_cast<std::size_t>(clipSeconds < 1 ? 1 : clipSeconds);
  frames_.resize(seconds * 1000 / kFrameMs);
  for (std::size_t index = 0; index < frames_.size(); ++index) {
    std::array<opus_int16, kFrameSamples> pcm{};
    const double swell = 0.5 + 0.5 * std::sin(2 * std::numbers::pi * static_cast<double>(index % 50) / 50.0);
    for (unsigned i = 0; i < kFrameSamples; ++i) {
      const double t = static_cast<double>(index * kFrameSamples + i) / kSampleRate;
      pcm[i] = static_cast<opus_int16>(8000.0 * swell * std::sin(2 * std::numbers::pi * 440.0 * t));
    }
    auto& out = frames_[index];
    out.resize(1275);  // the largest Opus packet (RFC 6716 section 3.4)
    const opus_int32 n = opus_encode(opus, pcm.data(), kFrameSamples, out.data(), static_cast<opus_int32>(out.size()));
    if (n <= 0) {
      opus_encoder_destroy(opus);
      throw std::runtime_error(std::string("libopus: encoding failed: ") + opus_strerror(n));
    }
    out.resize(static_cast<std::size_t>(n));
  }
  opus_encoder_destroy(opus);
}

}  // namespace aerie::bot
