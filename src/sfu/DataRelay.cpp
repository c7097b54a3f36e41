#include "sfu/DataRelay.hpp"

#include <algorithm>
#include <chrono>
#include <string_view>

#include "sfu/DataRelayMessage.hpp"
#include "sfu/MediaPlane.hpp"

namespace aerie {

using Clock = std::chrono::steady_clock;

DataRelay::DataRelay(ClientTable& clients, MediaCounters& counters, const Limits& limits)
    : clients_(clients), counters_(counters), limits_(limits) {}

void DataRelay::relay(MediaClient& from, bool binary, std::span<const std::uint8_t> data) {
  const auto nowMs = std::chrono::duration_cast<std::chrono::milliseconds>(Clock::now().time_since_epoch()).count();
  if (!from.dataBudget) from.dataBudget.emplace(limits_.dataMessagesBurst, limits_.dataMessagesPerSecond, nowMs);
  if (binary || !from.dataBudget->take(nowMs)) {
    counters_.dataDropped.fetch_add(1, std::memory_order_relaxed);
    return;
  }
  const std::string_view text(reinterpret_cast<const char*>(data.data()), data.size());
  auto message = DataRelayMessage::parse(text, from.sid, limits_.maxJsonDepth);
  if (!message) {
    counters_.dataDropped.fetch_add(1, std::memory_order_relaxed);
    return;
  }
  const auto& targets = message->targets();
  const auto bytes = std::span(reinterpret_cast<const std::uint8_t*>(message->text().data()), message->text().size());
  for (auto& [key, entry] : clients_.byKey) {
    MediaClient& to = *entry;
    // Each client's own connection only: a 0.6 client's downlinks carry no messages.
    if (&to == &from || to.roomKey != from.roomKey || !to.mainChannel || isDownlink(to.sid)) continue;
    if (!targets.empty() && std::find(targets.begin(), targets.end(), to.sid) == targets.end()) continue;
    if (to.transport->sendData(*to.mainChannel, false, bytes)) {
      counters_.dataRelayed.fetch_add(1, std::memory_order_relaxed);
    } else {
      counters_.dataDropped.fetch_add(1, std::memory_order_relaxed);
    }
  }
}

}  // namespace aerie
