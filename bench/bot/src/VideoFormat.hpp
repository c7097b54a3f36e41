#pragma once
// The picture the bot publishes: WIDTHxHEIGHT@FPS as the command line spells it, and a target
// bitrate for the encoder.
#include <optional>
#include <string>
#include <string_view>

namespace aerie::bot {

struct VideoFormat {
  unsigned width = 320;
  unsigned height = 240;
  unsigned fps = 15;
  unsigned bitrateKbps = 0;  // 0: a default from the size (about 0.26 bit per pixel per frame)

  // "320x240@15"; nullopt if malformed or out of bounds (16..1920 x 16..1080, 1..60 fps).
  static std::optional<VideoFormat> parse(std::string_view text);
  unsigned targetKbps() const;
  std::string toString() const;
};

}  // namespace aerie::bot
