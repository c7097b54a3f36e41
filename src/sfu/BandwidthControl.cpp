#include "sfu/MicrosecondsNow.hpp"
#include "sfu/BandwidthControl.hpp"

#include <algorithm>
#include <array>
#include <chrono>
#include <string>

#include "codec/RtcpWriter.hpp"
#include "core/Log.hpp"
#include "sfu/DatagramBuffer.hpp"

namespace aerie {

using Clock = std::chrono::steady_clock;

BandwidthControl::BandwidthControl(ClientTable& clients, MediaCounters& counters, const Limits& limits)
    : clients_(clients), counters_(counters), limits_(limits) {}

void BandwidthControl::adaptLayers(MediaClient& from, const RtcpPacket& report, std::int64_t arrivalUs) {
  if (from.downlink->current(arrivalUs)) return;
  for (std::size_t i = 0; i < report.count(); ++i) {
    const auto block = report.reportBlock(i);
    if (!block) return;
    auto it = clients_.bySsrc.find(block->ssrc);
    if (it == clients_.bySsrc.end()) continue;
    Subscription* sub = clients_.subscriptionOf(block->ssrc, from);
    if (sub != nullptr && sub->layers) sub->layers->onLoss(block->fractionLost, Clock::now());
  }
}

void BandwidthControl::allocateLayers() {
  const std::int64_t nowUs = microsecondsNow();
  for (auto& [key, entry] : clients_.byKey) {
    if (!entry->downlink->current(nowUs)) continue;
    allocation_.clear();
    allocated_.clear();
    bool layered = false;
    for (auto& [ssrc, list] : clients_.subscribers) {
      for (auto& sub : list) {
        if (sub.client != entry.get()) continue;
        const PublishedTrack* track = clients_.publishedTrack(ssrc);
        if (track == nullptr) break;
        LayerAllocator::Track t;
        t.id = ssrc;
        if (sub.layers && !track->layers.empty()) {
          layered = true;
          t.layers = static_cast<int>(std::min(track->layers.size(), LayerAllocator::kMaxLayers));
          for (int i = 0; i < t.layers; ++i) {
            const auto& l = track->layers[static_cast<std::size_t>(i)];
            t.layerBps[static_cast<std::size_t>(i)] = l.rate.bps(nowUs);
            if (nowUs - l.lastArrivalUs < 1000000) t.highestActive = i;
          }
          t.current = sub.layers->current();
        } else {
          t.layerBps[0] = track->rate.bps(nowUs);
        }
        allocation_.push_back(t);
        allocated_.push_back(&sub);
        break;
      }
    }
    if (!layered) continue;
    entry->downlink->allocator().allocate(allocation_, entry->downlink->estimator().estimate(), nowUs);
    for (std::size_t i = 0; i < allocation_.size(); ++i) {
      auto& layers = allocated_[i]->layers;
      if (allocation_[i].layers == 0 || !layers || allocation_[i].chosen == layers->target()) continue;
      layers->aim(allocation_[i].chosen);
      if (layers->target() != allocation_[i].chosen) continue;
      counters_.layerChanges.fetch_add(1, std::memory_order_relaxed);
      const auto& e = entry->downlink->estimator();
      log::debug("media", "layer aim", {{"sid", entry->sid}, {"ssrc", std::to_string(allocation_[i].id)},
                                        {"layer", std::to_string(allocation_[i].chosen)}, {"estimate", std::to_string(e.estimate())},
                                        {"delayBased", std::to_string(e.delayBased())}, {"lossBased", std::to_string(e.lossBased())},
                                        {"acknowledged", std::to_string(e.acknowledged())}});
    }
  }
}

void BandwidthControl::sendTransportFeedback() {
  for (auto& [key, entry] : clients_.byKey) {
    if (!entry->twcc || !entry->twcc->pending()) continue;
    if (entry->transport->state() != MediaTransport::State::Connected) continue;
    const std::uint32_t media = entry->published.empty() ? 0 : entry->published.front().ssrc;
    auto& out = scratch();
    const std::size_t size = entry->twcc->feedback(std::span(out.data(), kMaxDatagram), 1, media);
    if (size != 0 && entry->transport->sendRtcp(out, size)) counters_.transportFeedback.fetch_add(1, std::memory_order_relaxed);
  }
}

void BandwidthControl::sendBitrateCaps() {
  const std::uint64_t cap = std::uint64_t{limits_.maxPublisherBitrateKbps} * 1000;
  std::array<std::uint32_t, 8> ssrcs{};
  for (auto& [key, entry] : clients_.byKey) {
    std::size_t n = 0;
    for (const auto& p : entry->published) {
      if (p.video && n < ssrcs.size()) ssrcs[n++] = p.ssrc;
    }
    if (n == 0 || entry->transport->state() != MediaTransport::State::Connected) continue;
    auto& out = scratch();
    const std::size_t size = RtcpWriter::remb(out, 1, cap, std::span(ssrcs.data(), n));
    if (size != 0 && entry->transport->sendRtcp(out, size)) counters_.bitrateCaps.fetch_add(1, std::memory_order_relaxed);
  }
}

}  // namespace aerie
