#pragma once
// A track a client publishes (by SSRC, from its offer), with what the SFU keeps of it: the
// statistics for its receiver reports, its rate, the packets it forwarded (for NACKs), its
// audio level over the current window, its simulcast layers. Plain state of ShardMedia's, on
// the shard's loop.
#include <chrono>
#include <cstdint>
#include <memory>
#include <vector>

#include "media/ReceiveStatistics.hpp"
#include "media/RetransmissionBuffer.hpp"
#include "sfu/BitrateWindow.hpp"
#include "sfu/SimulcastLayer.hpp"

namespace aerie {

struct PublishedTrack {
  std::uint32_t ssrc = 0;  // a simulcast track's: the one the server chose, subscribers see
  std::uint32_t rtxSsrc = 0;  // 0: no RTX
  std::uint8_t payloadType = 0;
  bool video = false;
  std::uint16_t midExtension = 0;
  std::uint16_t audioLevelExtension = 0;
  // RFC 6464 over the current window: the sum of (127 - level), 0 silence .. 127 loudest.
  std::uint32_t loudness = 0;
  std::uint32_t levelSamples = 0;
  std::chrono::steady_clock::time_point lastKeyframeRequest{};
  // Video: what was forwarded, for NACKs (a simulcast track's layers share it, one stream
  // each).
  std::unique_ptr<RetransmissionBuffer> sent;
  ReceiveStatistics stats;  // for the receiver reports to the publisher
  BitrateWindow rate;       // as it arrives (a simulcast track's: in its layers)
  std::vector<SimulcastLayer> layers;  // simulcast, lowest first; empty otherwise
  std::uint16_t ridExtension = 0;
  std::uint16_t repairedRidExtension = 0;
  // Opus or VP8, as the recorder writes them (other codecs are forwarded, not recorded).
  bool recordable = false;
  bool vp8 = false;  // its layers' PictureIDs are rewritten for each subscriber
  std::uint32_t clockRate = 0;
  std::uint8_t channels = 0;
};

}  // namespace aerie
