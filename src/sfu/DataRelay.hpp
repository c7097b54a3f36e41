#pragma once
// Skylink's data channel messages in an SFU room (docs/media.md, DataRelayMessage): a MESSAGE a
// client sends the MCU on one of its channels goes on to the peers it names (every other peer
// of the room when it names none), on their messaging channels, with `sender` the real one.
// Anything else, or a client over Limits::dataMessagesPerSecond, is dropped and counted. On the
// shard's loop; the data path allocates (usrsctp copies anyway), the RTP path is not this.
#include <cstdint>
#include <span>

#include "core/Limits.hpp"
#include "sfu/ClientTable.hpp"
#include "sfu/MediaCounters.hpp"

namespace aerie {

class DataRelay {
 public:
  DataRelay(ClientTable& clients, MediaCounters& counters, const Limits& limits);

  // A whole message from `from`'s data channel.
  void relay(MediaClient& from, bool binary, std::span<const std::uint8_t> data);

 private:
  ClientTable& clients_;
  MediaCounters& counters_;
  const Limits& limits_;
};

}  // namespace aerie
