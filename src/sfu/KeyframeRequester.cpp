#include "sfu/KeyframeRequester.hpp"

#include "codec/RtcpWriter.hpp"
#include "sfu/DatagramBuffer.hpp"

namespace aerie {

using Clock = std::chrono::steady_clock;

KeyframeRequester::KeyframeRequester(ClientTable& clients, MediaCounters& counters)
    : clients_(clients), counters_(counters) {}

void KeyframeRequester::requestLayer(MediaClient& publisher, SimulcastLayer& layer) {
  const auto now = Clock::now();
  if (layer.ssrc == 0 || now - layer.lastKeyframeRequest < kGap) return;
  layer.lastKeyframeRequest = now;
  auto& out = scratch();
  const std::size_t n = RtcpWriter::pli(out, 1, layer.ssrc);
  if (publisher.transport->sendRtcp(out, n)) counters_.keyframeRequests.fetch_add(1, std::memory_order_relaxed);
}

void KeyframeRequester::request(std::uint32_t ssrc) {
  auto it = clients_.bySsrc.find(ssrc);
  if (it == clients_.bySsrc.end()) return;
  MediaClient& publisher = *it->second;
  const auto now = Clock::now();
  for (auto& p : publisher.published) {
    if (p.ssrc != ssrc || !p.video) continue;
    if (!p.layers.empty()) {
      for (auto& l : p.layers) requestLayer(publisher, l);
      return;
    }
    if (now - p.lastKeyframeRequest < kGap) return;  // coalesced
    p.lastKeyframeRequest = now;
    // Sender SSRC 1: the server sends no media of its own.
    auto& out = scratch();
    const std::size_t n = RtcpWriter::pli(out, 1, ssrc);
    if (publisher.transport->sendRtcp(out, n)) counters_.keyframeRequests.fetch_add(1, std::memory_order_relaxed);
    return;
  }
}

}  // namespace aerie
