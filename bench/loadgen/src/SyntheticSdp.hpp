// ~2.3 KB of SDP, the size of an audio+video offer of Chromium with bundle and a data channel:
// the same text bench/lib/proto.mjs syntheticSdp(kind, seed) builds.
#pragma once

#include <string>
#include <string_view>

namespace loadgen {

std::string syntheticSdp(std::string_view kind, unsigned long long seed);

}  // namespace loadgen
