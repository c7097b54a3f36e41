#pragma once
// One transport of the shard's media plane and what goes over it: a client's own connection
// (by its sid), or one of SkylinkJS 0.6.x's downlinks (downlinkId()). What it publishes, the
// addresses that passed ICE for it, the header extension ids of its session, its downlink's
// bandwidth, its messaging channel, its recording. Plain state of ShardMedia's, which the
// shard's parts (RtpForwarder, RtcpResponder, ...) read and write on the shard's loop.
#include <cstddef>
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "codec/StunMessage.hpp"
#include "hub/TokenBucket.hpp"
#include "media/MediaTransport.hpp"
#include "media/TwccRecorder.hpp"
#include "record/PublisherRecording.hpp"
#include "sfu/AddressKey.hpp"
#include "sfu/PublishedTrack.hpp"
#include "sfu/SubscriberBandwidth.hpp"

namespace aerie {

struct MediaClient {
  std::string roomKey;
  std::string sid;
  // What hears the transport (ShardMedia's); before `transport`, which holds a reference to it.
  std::unique_ptr<MediaTransport::Listener> listener;
  std::unique_ptr<MediaTransport> transport;
  bool closing = false;  // ShardMedia::close() is closing it
  std::vector<PublishedTrack> published;
  std::vector<AddressKey> addresses;
  std::vector<stun::Address> ips;  // one per remote IP, as counted by the quota
  std::uint16_t twccExtension = 0;  // the client's transport-wide-cc header extension id
  // The header extension ids of the client's session (one per URI across the BUNDLE), 0 for
  // those not negotiated: what a forwarded packet must not carry with another meaning.
  std::uint16_t midId = 0;
  std::uint16_t ridId = 0;
  std::uint16_t repairedRidId = 0;
  std::uint16_t audioLevelId = 0;
  std::uint16_t absSendTimeId = 0;
  std::unique_ptr<TwccRecorder> twcc;
  // What it is sent: transport-wide numbers, the estimate of its downlink, its layers.
  std::unique_ptr<SubscriberBandwidth> downlink;
  // The client's messaging channel: the first it opens (SkylinkJS creates it with its offer,
  // before any file transfer's; 0.6 labels it 'main', 2.x '<rid>_<sid>_MCU').
  std::optional<std::uint16_t> mainChannel;
  std::optional<TokenBucket> dataBudget;
  // Its file while the room records (one per publisher; the first audio and the first video
  // track it publishes).
  std::unique_ptr<PublisherRecording> recording;
  std::uint32_t recordedAudio = 0;  // SSRCs
  std::uint32_t recordedVideo = 0;
  // A simulcast video track is recorded in one layer (ShardRecorder::recordedLayerOf); -1 until
  // chosen.
  int recordedLayer = -1;

  // The track (and simulcast layer, else -1) an SSRC of this publisher belongs to; `rtx`: the
  // SSRC is its RTX.
  PublishedTrack* trackOf(std::uint32_t ssrc, bool& rtx, int& layer) {
    layer = -1;
    for (auto& p : published) {
      if (p.ssrc == ssrc || (p.rtxSsrc != 0 && p.rtxSsrc == ssrc)) {
        rtx = p.ssrc != ssrc;
        return &p;
      }
      for (std::size_t i = 0; i < p.layers.size(); ++i) {
        if (p.layers[i].ssrc == ssrc || (p.layers[i].rtxSsrc != 0 && p.layers[i].rtxSsrc == ssrc)) {
          rtx = p.layers[i].ssrc != ssrc;
          layer = static_cast<int>(i);
          return &p;
        }
      }
    }
    return nullptr;
  }
};

}  // namespace aerie
