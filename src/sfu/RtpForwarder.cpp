#include "sfu/MicrosecondsNow.hpp"
#include "sfu/RtpForwarder.hpp"

#include <algorithm>
#include <optional>
#include <string_view>

#include "codec/Vp8Descriptor.hpp"
#include "sfu/RtpRewriter.hpp"
#include "sfu/SendBatch.hpp"
#include "sfu/ShardRecorder.hpp"

namespace aerie {

RtpForwarder::RtpForwarder(ClientTable& clients, SendBatch& batch, KeyframeRequester& keyframes, MediaCounters& counters)
    : clients_(clients), batch_(batch), keyframes_(keyframes), counters_(counters) {}

PublishedTrack* RtpForwarder::learnLayer(MediaClient& publisher, const RtpPacket& packet, bool& rtx, int& layer) {
  for (auto& p : publisher.published) {
    if (p.layers.empty()) continue;
    for (const bool repaired : {false, true}) {
      const std::uint16_t id = repaired ? p.repairedRidExtension : p.ridExtension;
      if (id == 0) continue;
      auto value = packet.extension(static_cast<std::uint8_t>(id));
      if (!value) continue;
      const std::string_view rid(reinterpret_cast<const char*>(value->data()), value->size());
      for (std::size_t i = 0; i < p.layers.size(); ++i) {
        if (p.layers[i].rid != rid) continue;
        (repaired ? p.layers[i].rtxSsrc : p.layers[i].ssrc) = packet.ssrc();
        clients_.bySsrc[packet.ssrc()] = &publisher;
        rtx = repaired;
        layer = static_cast<int>(i);
        return &p;
      }
    }
  }
  return nullptr;
}

void RtpForwarder::forward(MediaClient& publisher, RtpPacket& received, std::int64_t arrivalUs) {
  if (publisher.twcc) {
    if (auto seq = received.extension(static_cast<std::uint8_t>(publisher.twccExtension)); seq && seq->size() >= 2) {
      publisher.twcc->record(static_cast<std::uint16_t>((*seq)[0] << 8 | (*seq)[1]), arrivalUs);
    }
  }
  bool rtx = false;
  int layer = -1;
  PublishedTrack* track = publisher.trackOf(received.ssrc(), rtx, layer);
  if (track == nullptr) track = learnLayer(publisher, received, rtx, layer);
  if (track == nullptr) return;
  std::optional<RtpPacket> unwrapped;
  if (rtx) {
    unwrapped = RtpRewriter::unwrapRtx(received, *track, layer);
    if (!unwrapped) return;
  }
  RtpPacket& packet = rtx ? *unwrapped : received;
  SimulcastLayer* simulcast = layer < 0 ? nullptr : &track->layers[static_cast<std::size_t>(layer)];
  (simulcast != nullptr ? simulcast->stats : track->stats).onPacket(packet.sequenceNumber(), packet.timestamp(), arrivalUs);
  (simulcast != nullptr ? simulcast->rate : track->rate).add(arrivalUs, packet.bytes().size());
  if (track->audioLevelExtension != 0) {
    if (auto level = packet.extension(static_cast<std::uint8_t>(track->audioLevelExtension)); level && !level->empty()) {
      track->loudness += 127u - ((*level)[0] & 0x7Fu);
      ++track->levelSamples;
    }
  }
  if (simulcast != nullptr) {
    simulcast->lastArrivalUs = arrivalUs;
    if (simulcast->firstArrivalUs == 0) simulcast->firstArrivalUs = arrivalUs;
  }
  if (publisher.recording && track->recordable && packet.payloadType() == track->payloadType &&
      (simulcast == nullptr || layer == ShardRecorder::recordedLayerOf(publisher, *track, arrivalUs))) {
    ShardRecorder::record(publisher, *track, packet, arrivalUs);
  }
  auto subs = clients_.subscribers.find(track->ssrc);
  if (subs == clients_.subscribers.end() || subs->second.empty()) return;
  // The publisher's mid (and rids) mean another section in each subscriber's session: blank
  // them (RFC 8285 padding), so that the subscriber routes the packet by its SSRC.
  RtpRewriter::blank(packet, track->midExtension);
  if (simulcast != nullptr) {
    RtpRewriter::blank(packet, track->ridExtension);
    RtpRewriter::blank(packet, track->repairedRidExtension);
  }
  const auto bytes = packet.bytes();
  if (bytes.size() > kMaxDatagram) return;
  if (track->sent) track->sent->store(packet.sequenceNumber(), bytes, simulcast != nullptr ? static_cast<std::size_t>(layer) : 0);
  batch_.open = true;
  std::uint64_t forwarded = 0;
  bool keyframeWanted = false;
  int highestActive = -1;  // the highest layer that sent within the last second
  // A layer's VP8 descriptor: parsed once, for the key frame and the picture numbering.
  std::optional<Vp8Descriptor> vp8;
  LayerSwitch::Vp8Ids ids;
  if (simulcast != nullptr) {
    for (std::size_t i = 0; i < track->layers.size(); ++i) {
      if (arrivalUs - track->layers[i].lastArrivalUs < 1000000) highestActive = static_cast<int>(i);
    }
    vp8 = Vp8Descriptor::parse(packet.payload());
    if (vp8 && track->vp8) ids = RtpRewriter::vp8Ids(*vp8);
  }
  const std::size_t payloadAt = bytes.size() - packet.payload().size() - packet.paddingSize();
  const auto twccElement = SubscriberBandwidth::find(packet, publisher.twccExtension);
  // The copies' send time for the subscribers' estimators: read now, not the arrival of the
  // batch this packet came in (the packets before it in the batch went out first).
  const std::int64_t sentUs = microsecondsNow();
  for (auto& sub : subs->second) {
    if (sub.client->transport->state() != MediaTransport::State::Connected) continue;
    if (sub.layers) {
      sub.layers->setHighestActive(highestActive);
      const auto verdict = sub.layers->onPacket(layer, vp8 && vp8->keyframe, packet.sequenceNumber(), packet.timestamp(), ids);
      keyframeWanted = keyframeWanted || verdict == LayerSwitch::Verdict::NeedKeyframe;
      if (verdict != LayerSwitch::Verdict::Forward) continue;
    }
    auto& out = batch_.next();
    std::copy(bytes.begin(), bytes.end(), out.begin());
    if (sub.layers) {
      RtpRewriter::rewrite(std::span(out.data(), bytes.size()), *sub.layers, track->ssrc);
      if (ids.pictureId >= 0 || ids.tl0PicIdx >= 0) RtpRewriter::renumber(std::span(out.data() + payloadAt, packet.payload().size()), *vp8, *sub.layers);
    }
    RtpRewriter::foreignExtensions(std::span(out.data(), bytes.size()), packet, publisher, *sub.client);
    sub.client->downlink->stamp(std::span(out.data(), bytes.size()), twccElement, sentUs);
    if (sub.client->transport->sendRtp(out, bytes.size())) ++forwarded;
  }
  batch_.open = false;
  batch_.flush();
  counters_.forwarded.fetch_add(forwarded, std::memory_order_relaxed);
  if (keyframeWanted) keyframes_.requestLayer(publisher, *simulcast);
}

}  // namespace aerie
