#include "VideoFormat.hpp"

#include <charconv>

namespace aerie::bot {

namespace {
bool number(std::string_view s, unsigned& out) {
  auto [end, ec] = std::from_chars(s.data(), s.data() + s.size(), out);
  return ec == std::errc() && end == s.data() + s.size();
}
}  // namespace

std::optional<VideoFormat> VideoFormat::parse(std::string_view text) {
  const auto x = text.find('x');
  const auto at = text.find('@');
  if (x == std::string_view::npos || at == std::string_view::npos || at < x) return std::nullopt;
  VideoFormat f;
  if (!number(text.substr(0, x), f.width) || !number(text.substr(x + 1, at - x - 1), f.height) ||
      !number(text.substr(at + 1), f.fps)) {
    return std::nullopt;
  }
  if (f.width < 16 || f.width > 1920 || f.height < 16 || f.height > 1080 || f.fps < 1 || f.fps > 60) return std::nullopt;
  // VP8 encodes even dimensions; I420 chroma needs them.
  if (f.width % 2 != 0 || f.height % 2 != 0) return std::nullopt;
  return f;
}

unsigned VideoFormat::targetKbps() const {
  if (bitrateKbps != 0) return bitrateKbps;
  const double bits = 0.26 * width * height * fps / 1000.0;
  return bits < 50 ? 50u : static_cast<unsigned>(bits);
}

std::string VideoFormat::toString() const {
  return std::to_string(width) + "x" + std::to_string(height) + "@" + std::to_string(fps);
}

}  // namespace aerie::bot
