#pragma once
// Key frames asked of publishers: a PLI (RFC 4585 section 6.3.1) for a video track, or for each
// layer of a simulcast track, at most one per kGap per track or layer (the requests of several
// subscribers, the recorder and the layer switches coalesce). On the shard's loop.
#include <chrono>
#include <cstdint>

#include "sfu/ClientTable.hpp"
#include "sfu/MediaCounters.hpp"

namespace aerie {

class KeyframeRequester {
 public:
  static constexpr auto kGap = std::chrono::milliseconds(300);

  KeyframeRequester(ClientTable& clients, MediaCounters& counters);

  // `ssrc` is a video track's (as subscribers see it): its publisher is asked, if it is ours.
  void request(std::uint32_t ssrc);
  // One simulcast layer of `publisher`'s, once its SSRC is known.
  void requestLayer(MediaClient& publisher, SimulcastLayer& layer);

 private:
  ClientTable& clients_;
  MediaCounters& counters_;
};

}  // namespace aerie
