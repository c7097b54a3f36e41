#pragma once
// The rewrites of a forwarded RTP packet, in place: header extensions blanked, RTX unwrapped
// (RFC 4588), a simulcast layer's numbers and VP8 picture ids into a subscriber's. Static and
// inline: they run per packet and per subscriber, from RtpForwarder and RtcpResponder (NACKs).
#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <cstring>
#include <iterator>
#include <optional>
#include <span>

#include "codec/RtpPacket.hpp"
#include "codec/Vp8Descriptor.hpp"
#include "sfu/LayerSwitch.hpp"
#include "sfu/MediaClient.hpp"
#include "sfu/PublishedTrack.hpp"

namespace aerie {

class RtpRewriter {
 public:
  // Header extension `id` of `packet` becomes padding (RFC 8285), in place.
  static void blank(RtpPacket& packet, std::uint16_t id) {
    if (id == 0) return;
    if (auto value = packet.extension(static_cast<std::uint8_t>(id))) {
      const std::size_t header = packet.extensionProfile() == 0xBEDE ? 1 : 2;
      auto* first = const_cast<std::uint8_t*>(value->data()) - header;
      std::fill(first, first + header + value->size(), std::uint8_t{0});
    }
  }

  // RFC 4588 section 4: an RTX packet carries the original sequence number in its first two
  // payload bytes. Rewritten in place into the original packet; false for a padding-only probe.
  static std::optional<RtpPacket> unwrapRtx(RtpPacket& packet, const PublishedTrack& track, int layer) {
    const auto payload = packet.payload();
    if (payload.size() <= 2 || packet.paddingSize() != 0) return std::nullopt;
    auto* bytes = const_cast<std::uint8_t*>(packet.bytes().data());
    const std::size_t total = packet.bytes().size();
    auto* start = const_cast<std::uint8_t*>(payload.data());
    const auto osn = static_cast<std::uint16_t>(start[0] << 8 | start[1]);
    std::memmove(start, start + 2, payload.size() - 2);
    auto original = RtpPacket::parse(std::span<std::uint8_t>(bytes, total - 2));
    if (!original) return std::nullopt;
    original->setSequenceNumber(osn);
    original->setSsrc(layer < 0 ? track.ssrc : track.layers[static_cast<std::size_t>(layer)].ssrc);
    original->setPayloadType(track.payloadType);
    return original;
  }

  // The forwarded sections declare no header extensions but transport-cc, so the subscriber
  // reads a forwarded packet's extensions by its own session's ids. An element whose id means
  // something else there (the publisher's abs-send-time where the subscriber has its mid, as
  // between Firefox and Chromium) is blanked in the copy: a subscriber that read it as a mid
  // would drop the packet. Those that mean the same on both sides pass; transport-cc is
  // stamped afresh afterwards (the publisher's element is kept for that when the subscriber
  // has transport-cc).
  static void foreignExtensions(std::span<std::uint8_t> copy, const RtpPacket& packet, const MediaClient& from, const MediaClient& to) {
    const std::uint16_t toTransportCc = to.downlink->extension();
    // Two sessions that number alike (two Chromiums): nothing to do, the common case.
    if (from.midId == to.midId && from.ridId == to.ridId && from.repairedRidId == to.repairedRidId &&
        from.audioLevelId == to.audioLevelId && from.absSendTimeId == to.absSendTimeId && from.twccExtension == toTransportCc) {
      return;
    }
    const std::uint16_t kept[] = {from.absSendTimeId == to.absSendTimeId ? to.absSendTimeId : std::uint16_t{0},
                                  from.audioLevelId == to.audioLevelId ? to.audioLevelId : std::uint16_t{0},
                                  toTransportCc != 0 ? from.twccExtension : std::uint16_t{0}};
    for (const std::uint16_t id : {to.midId, to.ridId, to.repairedRidId, to.audioLevelId, to.absSendTimeId, toTransportCc}) {
      if (id == 0 || id > 255 || std::find(std::begin(kept), std::end(kept), id) != std::end(kept)) continue;
      const auto value = packet.extension(static_cast<std::uint8_t>(id));
      if (!value) continue;
      const std::size_t header = packet.extensionProfile() == 0xBEDE ? 1 : 2;
      const auto at = static_cast<std::size_t>(value->data() - packet.bytes().data());
      if (at < header || at + value->size() > copy.size()) continue;
      std::fill(copy.begin() + static_cast<std::ptrdiff_t>(at - header), copy.begin() + static_cast<std::ptrdiff_t>(at + value->size()), std::uint8_t{0});
    }
  }

  // A simulcast layer's packet as one subscriber gets it: the track's SSRC, the subscriber's
  // sequence numbers and timestamps.
  static void rewrite(std::span<std::uint8_t> copy, const LayerSwitch& layers, std::uint32_t ssrc) {
    auto p = RtpPacket::parse(copy);
    if (!p) return;
    p->setSsrc(ssrc);
    p->setSequenceNumber(layers.outSequence(p->sequenceNumber()));
    p->setTimestamp(layers.outTimestamp(p->timestamp()));
  }

  static LayerSwitch::Vp8Ids vp8Ids(const Vp8Descriptor& d) {
    LayerSwitch::Vp8Ids ids;
    if (d.pictureId) ids.pictureId = *d.pictureId;
    ids.longPictureId = d.longPictureId;
    if (d.tl0PicIdx) ids.tl0PicIdx = *d.tl0PicIdx;
    return ids;
  }

  // A VP8 layer's PictureID and TL0PICIDX in the subscriber's numbering (`payload` is the
  // copy's payload, which `d` was parsed from the original of).
  static void renumber(std::span<std::uint8_t> payload, const Vp8Descriptor& d, const LayerSwitch& layers) {
    if (d.pictureId) d.writePictureId(payload, layers.outPictureId(*d.pictureId));
    if (d.tl0PicIdx) d.writeTl0PicIdx(payload, layers.outTl0PicIdx(*d.tl0PicIdx));
  }
};

}  // namespace aerie
