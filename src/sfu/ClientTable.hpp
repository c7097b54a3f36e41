#pragma once
// The transports of one shard's media plane (MediaClient) and the tables that route RTP between
// them: publishers by each SSRC they send, subscribers by track. Owned by ShardMedia, shared by
// its parts; on the shard's loop.
#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "sfu/MediaClient.hpp"
#include "sfu/Subscription.hpp"

namespace aerie {

struct ClientTable {
  std::unordered_map<std::string, std::unique_ptr<MediaClient>> byKey;  // key(room, sid)
  std::unordered_map<std::uint32_t, MediaClient*> bySsrc;  // publishers: tracks, layers, RTX
  std::unordered_map<std::uint32_t, std::vector<Subscription>> subscribers;  // by track SSRC

  static std::string key(std::string_view roomKey, std::string_view sid);
  MediaClient* find(std::string_view roomKey, std::string_view sid);
  // What `subscriber` gets of the track `trackSsrc`; null if it is not subscribed.
  Subscription* subscriptionOf(std::uint32_t trackSsrc, const MediaClient& subscriber);
  // The track whose (subscribers') SSRC is `ssrc`; null for none, a layer or an RTX SSRC.
  const PublishedTrack* publishedTrack(std::uint32_t ssrc) const;
  // `client`'s tracks leave the tables (and their subscribers with them), and so do its
  // subscriptions. The client itself stays in byKey.
  void withdraw(const MediaClient& client);
};

}  // namespace aerie
