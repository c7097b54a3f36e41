#pragma once
// Where the pages, the browser library and the app's build are found, so `aerie serve` works
// from any directory: installed (`cmake --install`: <prefix>/bin/aerie beside
// <prefix>/share/aerie/web, client/dist, webapp/dist, node_modules/...), or run from the build
// tree (the source tree's web/ and its siblings), or wherever --web-root says.
#include <string>

namespace aerie {

class AssetPaths {
 public:
  // The web root (its siblings hold the builds): `configured` if set; else the installed
  // share/aerie/web next to `executable`; else `sourceTree` if it exists; else empty (no pages).
  static std::string webRoot(const std::string& configured, const std::string& executable,
                             const std::string& sourceTree);
  // This process's executable (/proc/self/exe), empty if it cannot be read.
  static std::string executable();
};

}  // namespace aerie
