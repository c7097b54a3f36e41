#include "sfu/ActiveSpeakers.hpp"

#include <string_view>
#include <utility>

namespace aerie {

ActiveSpeakers::ActiveSpeakers(ClientTable& clients) : clients_(clients) {}

void ActiveSpeakers::pick(MediaEvents* events) {
  std::unordered_map<std::string_view, std::pair<MediaClient*, std::uint32_t>> loudest;
  for (auto& [key, entry] : clients_.byKey) {
    auto& best = loudest[entry->roomKey];
    for (auto& p : entry->published) {
      if (p.audioLevelExtension == 0) continue;
      const std::uint32_t mean = p.levelSamples == 0 ? 0 : p.loudness / p.levelSamples;
      p.loudness = 0;
      p.levelSamples = 0;
      if (mean >= kSpeakingLoudness && mean > best.second) best = {entry.get(), mean};
    }
  }
  for (auto& [room, best] : loudest) {
    const std::string sid = best.first != nullptr ? best.first->sid : std::string();
    auto& current = speakers_[std::string(room)];
    if (current == sid) continue;
    current = sid;
    if (events != nullptr) events->onActiveSpeaker(room, sid);
  }
}

void ActiveSpeakers::forget(const std::string& roomKey) { speakers_.erase(roomKey); }

}  // namespace aerie
