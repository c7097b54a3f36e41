#pragma once
// The forwarding of one shard: each RTP packet a publisher sends, decrypted in place, goes to
// the track's subscribers. On its way: the publisher's transport-cc number noted (its
// feedback), RTX unwrapped (RFC 4588), a simulcast layer learnt from its rid, the track's
// statistics, rate and audio level, the recorder's part; then the publisher's mid and rids
// blanked (RFC 8285 padding: the subscriber routes by SSRC), the packet kept for NACKs, and
// copied once per subscriber into a slot of the SendBatch: there a simulcast layer's numbers
// become the subscriber's (LayerSwitch), foreign header extensions are blanked, a transport-wide
// number is stamped, and the copy is encrypted; the copies go out together. No lock, no
// allocation per packet. On the shard's loop.
#include <cstdint>

#include "codec/RtpPacket.hpp"
#include "sfu/ClientTable.hpp"
#include "sfu/KeyframeRequester.hpp"
#include "sfu/MediaCounters.hpp"

namespace aerie {

struct SendBatch;

class RtpForwarder {
 public:
  RtpForwarder(ClientTable& clients, SendBatch& batch, KeyframeRequester& keyframes, MediaCounters& counters);

  // A packet from `publisher` that arrived at `arrivalUs` (steady clock); the packet may be
  // rewritten in place.
  void forward(MediaClient& publisher, RtpPacket& received, std::int64_t arrivalUs);

 private:
  // A packet of an SSRC not seen yet: a simulcast layer's first, named by its rid (or, for its
  // RTX, repaired rid) header extension. The SSRC is the layer's from now on.
  PublishedTrack* learnLayer(MediaClient& publisher, const RtpPacket& packet, bool& rtx, int& layer);

  ClientTable& clients_;
  SendBatch& batch_;
  KeyframeRequester& keyframes_;
  MediaCounters& counters_;
};

}  // namespace aerie
