#pragma once
// Bandwidth, both ways, for one shard's clients: publishers hear when their packets arrived
// (transport-cc feedback, every 100 ms) and the most they may send (REMB, once a second);
// subscribers get the simulcast layers that fit their downlink's estimate (LayerAllocator,
// every 100 ms), or, without an estimate, the layers their loss reports allow. On the shard's
// loop.
#include <cstdint>
#include <vector>

#include "codec/RtcpPacket.hpp"
#include "core/Limits.hpp"
#include "sfu/ClientTable.hpp"
#include "sfu/LayerAllocator.hpp"
#include "sfu/MediaCounters.hpp"

namespace aerie {

class BandwidthControl {
 public:
  BandwidthControl(ClientTable& clients, MediaCounters& counters, const Limits& limits);

  // What a subscriber reports of a simulcast track it receives (an SR's or RR's report
  // blocks) moves its layer, unless its bandwidth estimate does (transport-cc feedback or REMB).
  void adaptLayers(MediaClient& from, const RtcpPacket& report, std::int64_t arrivalUs);
  // Every 100 ms, each subscriber whose downlink has an estimate gets the simulcast layers that
  // fit it (LayerAllocator); the others keep the loss rule of LayerSwitch.
  void allocateLayers();
  // Every 100 ms, each publisher hears when its packets arrived (transport-cc), which drives
  // its browser's bandwidth estimate.
  void sendTransportFeedback();
  // Once a second, every publisher of video hears the most it may send (REMB): browsers take it
  // as a ceiling for their own estimate.
  void sendBitrateCaps();

 private:
  ClientTable& clients_;
  MediaCounters& counters_;
  const Limits& limits_;
  std::vector<LayerAllocator::Track> allocation_;  // allocateLayers()'s, kept for their capacity
  std::vector<Subscription*> allocated_;
};

}  // namespace aerie
