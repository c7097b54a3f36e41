#pragma once
// The loudest publisher of each room of one shard, from the RFC 6464 audio levels RtpForwarder
// adds up per track: every 600 ms, the mean loudness over the window, above kSpeakingLoudness,
// picks it; when it changes, the server peer hears it (MediaEvents::onActiveSpeaker) and tells
// the room. On the shard's loop.
#include <cstdint>
#include <string>
#include <unordered_map>

#include "sfu/ClientTable.hpp"
#include "sfu/MediaPlane.hpp"

namespace aerie {

class ActiveSpeakers {
 public:
  // Mean loudness (127 - dBov) that counts as speech: louder than -77 dBov (a quiet room is
  // below -90, speech around -20..-50).
  static constexpr std::uint32_t kSpeakingLoudness = 50;

  explicit ActiveSpeakers(ClientTable& clients);

  // The window ends: each room's loudest publisher, told to `events` when it changed.
  void pick(MediaEvents* events);
  // The room has no transport left on this shard.
  void forget(const std::string& roomKey);

 private:
  ClientTable& clients_;
  std::unordered_map<std::string, std::string> speakers_;  // room → the sid last announced
};

}  // namespace aerie
