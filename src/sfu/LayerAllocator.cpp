#include "sfu/LayerAllocator.hpp"

#include <algorithm>

namespace aerie {

LayerAllocator::Hold& LayerAllocator::holdOf(std::uint32_t id) {
  for (auto& h : holds_) {
    if (h.id == id) return h;
  }
  Hold h;
  h.id = id;
  holds_.push_back(h);
  return holds_.back();
}

namespace {

// What layer `i` of `t` counts for: its measured rate, but a layer at or below the one the
// subscriber gets now only kKeepShare of it, so that an estimate that falls just under what is
// being sent (a cut to 0.85 × the acknowledged rate on a short overuse, a key frame in the
// window) does not flip the layer, while a real bottleneck (the estimate well under) does.
std::int64_t rateOf(const LayerAllocator::Track& t, std::size_t i) {
  const auto bps = static_cast<std::int64_t>(t.layerBps[i]);
  return static_cast<int>(i) <= t.current ? bps * LayerAllocator::kKeepPercent / 100 : bps;
}

}  // namespace

void LayerAllocator::allocate(std::span<Track> tracks, std::uint64_t estimateBps, std::int64_t nowUs) {
  std::int64_t budget = static_cast<std::int64_t>(estimateBps);
  // One-form tracks first, then every simulcast track at its lowest layer.
  for (auto& t : tracks) {
    if (t.layers == 0) budget -= static_cast<std::int64_t>(t.layerBps[0]);
  }
  for (auto& t : tracks) {
    if (t.layers == 0) continue;
    t.highestActive = std::clamp(t.highestActive, 0, std::min(t.layers, static_cast<int>(kMaxLayers)) - 1);
    t.chosen = 0;
    budget -= rateOf(t, 0);
  }
  // Then up, a layer per track per round.
  for (bool raised = true; raised;) {
    raised = false;
    for (auto& t : tracks) {
      if (t.layers == 0 || t.chosen >= t.highestActive) continue;
      const auto next = static_cast<std::size_t>(t.chosen + 1);
      const std::int64_t cost = rateOf(t, next) - rateOf(t, next - 1);
      if (cost > budget) continue;
      budget -= std::max<std::int64_t>(cost, 0);
      ++t.chosen;
      raised = true;
    }
  }
  // A rise above the current layer waits until it has fitted for a while.
  for (auto& t : tracks) {
    if (t.layers == 0) continue;
    Hold& h = holdOf(t.id);
    h.seen = true;
    if (h.raisedTo >= 0 && nowUs - h.raisedAtUs >= kFailedRiseUs) {
      if (t.current >= h.raisedTo) h.waitUs = kUpHoldUs;  // it held: tries come quickly again
      h.raisedTo = -1;
    }
    if (t.current < 0 || t.chosen <= t.current) {
      if (h.raisedTo >= 0 && t.chosen < h.raisedTo && t.current >= h.raisedTo) {
        h.waitUs = std::min(h.waitUs * 2, kMaxUpHoldUs);  // down again soon after a rise
        h.raisedTo = -1;
      }
      h.layer = -1;
      continue;
    }
    if (h.layer != t.chosen) {
      // A new aim (or a higher one): the wait starts over, unless it was already waiting for
      // a higher layer than this one.
      if (h.layer < t.chosen) h.sinceUs = nowUs;
      h.layer = t.chosen;
    }
    if (nowUs - h.sinceUs < h.waitUs) {
      t.chosen = t.current;
    } else if (h.raisedTo < t.chosen) {
      h.raisedTo = t.chosen;
      h.raisedAtUs = nowUs;
    }
  }
  // Tracks gone since the last call are forgotten.
  std::erase_if(holds_, [](const Hold& h) { return !h.seen; });
  for (auto& h : holds_) h.seen = false;
}

}  // namespace aerie
