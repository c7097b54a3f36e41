#include "sfu/ClientTable.hpp"

namespace aerie {

std::string ClientTable::key(std::string_view roomKey, std::string_view sid) {
  std::string k(roomKey);
  k += '\n';
  k += sid;
  return k;
}

MediaClient* ClientTable::find(std::string_view roomKey, std::string_view sid) {
  auto it = byKey.find(key(roomKey, sid));
  return it == byKey.end() ? nullptr : it->second.get();
}

Subscription* ClientTable::subscriptionOf(std::uint32_t trackSsrc, const MediaClient& subscriber) {
  auto it = subscribers.find(trackSsrc);
  if (it == subscribers.end()) return nullptr;
  for (auto& s : it->second) {
    if (s.client == &subscriber) return &s;
  }
  return nullptr;
}

const PublishedTrack* ClientTable::publishedTrack(std::uint32_t ssrc) const {
  auto it = bySsrc.find(ssrc);
  if (it == bySsrc.end()) return nullptr;
  for (const auto& p : it->second->published) {
    if (p.ssrc == ssrc) return &p;
  }
  return nullptr;
}

void ClientTable::withdraw(const MediaClient& client) {
  for (const auto& p : client.published) {
    bySsrc.erase(p.ssrc);
    if (p.rtxSsrc != 0) bySsrc.erase(p.rtxSsrc);
    for (const auto& l : p.layers) {
      if (l.ssrc != 0) bySsrc.erase(l.ssrc);
      if (l.rtxSsrc != 0) bySsrc.erase(l.rtxSsrc);
    }
    subscribers.erase(p.ssrc);
  }
  for (auto& [ssrc, list] : subscribers) std::erase_if(list, [&](const Subscription& s) { return s.client == &client; });
}

}  // namespace aerie
