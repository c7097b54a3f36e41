#pragma once
// The media plane of one Hub shard: one UDP socket on the shard's loop (port base + shard, so
// a room's media and its signaling share a thread; passive ICE-TCP on the same number), the
// transports of the clients of the
// shard's SFU rooms, and the forwarding between them. A datagram is routed to its transport by
// the sender's address once that address passed ICE, and before that by the ICE username of
// its STUN check; it is decrypted in place, and each RTP packet is copied once per subscriber
// into a slot of a send batch, encrypted there, and the copies go out in one sendmmsg. No
// lock, no allocation per packet.
// ShardMedia.cpp is the coordinator: the sockets, the routing, the negotiation calls and the
// tick; its parts (docs/media.md) share a ClientTable: RtpForwarder, RtcpResponder,
// KeyframeRequester, BandwidthControl, ShardRecorder, DataRelay, ActiveSpeakers, IceTcpLink.
// Asio stays out of this header.
#include <chrono>
#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "core/Limits.hpp"
#include "sfu/MediaCounters.hpp"
#include "sfu/MediaPlane.hpp"

namespace boost::asio {
class io_context;
}

namespace aerie {

struct MediaOptions {
  std::string listenHost = "127.0.0.1";
  std::uint16_t basePort = 50000;  // shard i listens on basePort + i; 0: any free port
  std::string publicAddress;       // put in candidates; empty: listenHost
};

class ShardMedia : public MediaPlane {
 public:
  ShardMedia(boost::asio::io_context& loop, unsigned shard, const MediaOptions& options,
             const Limits& limits);
  ~ShardMedia() override;
  ShardMedia(const ShardMedia&) = delete;
  ShardMedia& operator=(const ShardMedia&) = delete;

  // Binds the socket; throws std::runtime_error with a clear message if the port is taken.
  void start();
  void stop();
  std::uint16_t port() const;

  // MediaPlane
  void setEvents(MediaEvents* events) override;
  LocalTransport transportFor(std::string_view roomKey, std::string_view sid) override;
  LocalTransport restartIce(std::string_view roomKey, std::string_view sid,
                            std::string_view remoteUfrag) override;
  void remoteDescription(std::string_view roomKey, std::string_view sid,
                         const SdpDescription& offer,
                         const std::vector<AcceptedMedia>& accepted) override;
  void close(std::string_view roomKey, std::string_view sid) override;
  void forward(std::string_view roomKey, std::string_view toSid, std::uint32_t ssrc) override;
  void startRecording(std::string_view roomKey, const std::string& directory) override;
  void stopRecording(std::string_view roomKey) override;

  using Counters = MediaCounters;
  const Counters& counters() const;
  // Prometheus text for the shards' counters added up.
  static void render(const std::vector<const ShardMedia*>& shards, std::string& out);

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace aerie
