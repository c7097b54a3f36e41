#pragma once
#include <optional>
#include <string_view>

namespace aerie {

// How a realm's rooms carry media. `mesh`: every browser sends to every other (signaling only,
// the default). `sfu`: the room's media goes through the server's media plane (Skylink's
// "MCU"). `auto`: mesh for now; switching a growing room to the media plane is a later change.
enum class MediaMode { Mesh, Sfu, Auto };

// The name stored in the database and shown by the admin API and the CLI.
inline std::string_view toString(MediaMode mode) {
  switch (mode) {
    case MediaMode::Mesh:
      return "mesh";
    case MediaMode::Sfu:
      return "sfu";
    case MediaMode::Auto:
      return "auto";
  }
  return "mesh";
}

// nullopt unless `text` is exactly one of the names toString gives.
inline std::optional<MediaMode> parseMediaMode(std::string_view text) {
  if (text == "mesh") return MediaMode::Mesh;
  if (text == "sfu") return MediaMode::Sfu;
  if (text == "auto") return MediaMode::Auto;
  return std::nullopt;
}

}  // namespace aerie
