#pragma once
// What the SFU knows of one subscriber transport's downlink: each RTP packet sent to it gets
// the transport's own transport-wide sequence number (written into the copy's transport-wide-cc
// element, which the publisher's packet carries with the publisher's number), its send time
// and size are kept (TwccSendHistory), the subscriber's transport-cc feedback (or its REMB)
// feeds a BandwidthEstimator, and a LayerAllocator shares the estimate among the simulcast
// tracks it receives. No allocation per packet; one transport, one loop.
#include <cstddef>
#include <cstdint>
#include <span>

#include "codec/TransportFeedback.hpp"
#include "media/TwccSendHistory.hpp"
#include "sfu/BandwidthEstimator.hpp"
#include "sfu/LayerAllocator.hpp"

namespace aerie {

class RtpPacket;

class SubscriberBandwidth {
 public:
  // Where a packet's transport-wide-cc element is: the offset of its header byte(s) in the
  // packet and its form (one-byte or two-byte header, RFC 8285); at = 0: none.
  struct Element {
    std::size_t at = 0;
    bool twoByte = false;
  };
  // The element of id `id` in `packet` if it holds the two bytes of a transport-wide number.
  static Element find(const RtpPacket& packet, std::uint16_t id);

  explicit SubscriberBandwidth(std::uint64_t maxBps) : estimator_(maxBps, maxBps) {}

  // The subscriber's transport-wide-cc id (its session's, as negotiated); 0: none.
  void setExtension(std::uint16_t id) { extension_ = id; }
  std::uint16_t extension() const { return extension_; }

  // Gives `copy` (the subscriber's copy of a packet whose element is `e`) the transport's next
  // number, sent at `nowUs`. False when the copy carries no element it can use.
  bool stamp(std::span<std::uint8_t> copy, Element e, std::int64_t nowUs);
  // The subscriber's transport-cc feedback; returns how many of its packets were known.
  std::size_t onFeedback(const TransportFeedback& feedback, std::int64_t nowUs);
  void onRemb(std::uint64_t bps, std::int64_t nowUs) { estimator_.onRemb(bps, nowUs); }

  // True while feedback or REMB keeps coming: the estimate then picks the layers.
  bool current(std::int64_t nowUs) const { return estimator_.current(nowUs); }
  const BandwidthEstimator& estimator() const { return estimator_; }
  LayerAllocator& allocator() { return allocator_; }

 private:
  std::uint16_t extension_ = 0;
  TwccSendHistory history_;
  BandwidthEstimator estimator_;
  LayerAllocator allocator_;
};

}  // namespace aerie
