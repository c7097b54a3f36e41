#pragma once
// One simulcast layer of a published video track (RFC 8853), known by its rid until its first
// packet gives its SSRC. Plain state of ShardMedia's, on the shard's loop.
#include <chrono>
#include <cstdint>
#include <string>

#include "media/ReceiveStatistics.hpp"
#include "sfu/BitrateWindow.hpp"

namespace aerie {

struct SimulcastLayer {
  std::string rid;
  std::uint32_t ssrc = 0;
  std::uint32_t rtxSsrc = 0;
  ReceiveStatistics stats;
  std::chrono::steady_clock::time_point lastKeyframeRequest{};
  std::int64_t lastArrivalUs = 0;
  BitrateWindow rate;  // as it arrives, for the subscribers' layer allocation
  std::int64_t firstArrivalUs = 0;  // 0: nothing yet
};

}  // namespace aerie
