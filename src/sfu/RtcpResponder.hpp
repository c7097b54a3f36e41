#pragma once
// The RTCP of one shard's clients, and the reports the SFU sends of its own: subscribers'
// NACKs answered from the retransmission buffers (or passed on to the publisher), their PLI and
// FIR turned into key frame requests, their transport-cc feedback and REMBs into their downlink
// estimate, their receiver reports into their layers (BandwidthControl); publishers' sender
// reports passed on to subscribers; once a second a receiver report to each publisher. On the
// shard's loop.
#include <cstdint>
#include <span>

#include "codec/RtcpPacket.hpp"
#include "sfu/BandwidthControl.hpp"
#include "sfu/ClientTable.hpp"
#include "sfu/KeyframeRequester.hpp"
#include "sfu/MediaCounters.hpp"

namespace aerie {

class RtcpResponder {
 public:
  RtcpResponder(ClientTable& clients, KeyframeRequester& keyframes, BandwidthControl& bandwidth, MediaCounters& counters);

  // A decrypted RTCP compound from `from`, which arrived at `arrivalUs` (steady clock).
  void handle(MediaClient& from, std::span<std::uint8_t> compound, std::int64_t arrivalUs);
  // Once a second, every publisher hears what arrived of each of its tracks (RR).
  void sendReceiverReports();

 private:
  // A subscriber's NACK: what the SFU still has goes back from here; if anything is missing
  // (lost on the way in), the NACK goes on to the publisher, whose retransmission reaches
  // every subscriber.
  void answerNack(MediaClient& subscriber, const RtcpPacket& nack, std::span<const std::uint8_t> bytes);
  // A NACK for a simulcast track: the subscriber's sequence numbers back to the layer's, resent
  // from that layer's buffer with the subscriber's numbers again. What the buffer lacks is lost
  // (the publisher's own NACK handling covers its uplink).
  void answerLayeredNack(MediaClient& subscriber, const MediaClient& publisher, PublishedTrack& track, const RtcpPacket& nack);
  // A packet resent to `subscriber` from a buffer gets a transport-wide number of its own.
  // Its foreign header extensions are blanked as for a forwarded packet.
  void stampCopy(MediaClient& subscriber, std::span<std::uint8_t> copy, const MediaClient& publisher);
  // A publisher's SR: noted for its receiver reports (its round trip time), and passed on to
  // the track's subscribers without the publisher's own report blocks, which are about what it
  // receives. SSRC and timestamps are forwarded as they are, so the NTP/RTP pair stays true:
  // the subscriber's browser syncs the publisher's audio and video with it.
  void passSenderReport(MediaClient& from, const RtcpPacket& sr, std::int64_t arrivalUs);

  ClientTable& clients_;
  KeyframeRequester& keyframes_;
  BandwidthControl& bandwidth_;
  MediaCounters& counters_;
};

}  // namespace aerie
