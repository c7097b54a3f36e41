#include "sfu/MicrosecondsNow.hpp"
#include "sfu/RtcpResponder.hpp"

#include <algorithm>
#include <array>
#include <chrono>
#include <optional>

#include "codec/RtcpWriter.hpp"
#include "codec/TransportFeedback.hpp"
#include "codec/Vp8Descriptor.hpp"
#include "sfu/DatagramBuffer.hpp"
#include "sfu/RtpRewriter.hpp"
#include "sfu/ShardRecorder.hpp"

namespace aerie {

using Clock = std::chrono::steady_clock;

RtcpResponder::RtcpResponder(ClientTable& clients, KeyframeRequester& keyframes, BandwidthControl& bandwidth,
                             MediaCounters& counters)
    : clients_(clients), keyframes_(keyframes), bandwidth_(bandwidth), counters_(counters) {}

void RtcpResponder::answerNack(MediaClient& subscriber, const RtcpPacket& nack, std::span<const std::uint8_t> bytes) {
  const auto ssrc = nack.mediaSsrc();
  if (!ssrc) return;
  auto it = clients_.bySsrc.find(*ssrc);
  if (it == clients_.bySsrc.end()) return;
  bool rtx = false;
  int layer = -1;
  PublishedTrack* track = it->second->trackOf(*ssrc, rtx, layer);
  if (track != nullptr && !track->layers.empty()) return answerLayeredNack(subscriber, *it->second, *track, nack);
  if (track == nullptr || !track->sent) return;
  bool missing = false;
  nack.forEachNack([&](std::uint16_t seq) {
    const auto kept = track->sent->find(seq);
    if (kept.empty()) {
      missing = true;
      return;
    }
    auto& out = scratch();
    std::copy(kept.begin(), kept.end(), out.begin());
    stampCopy(subscriber, std::span(out.data(), kept.size()), *it->second);
    if (subscriber.transport->sendRtp(out, kept.size())) counters_.retransmitted.fetch_add(1, std::memory_order_relaxed);
  });
  if (!missing || bytes.size() > kMaxDatagram) return;
  auto& out = scratch();
  std::copy(bytes.begin(), bytes.end(), out.begin());
  if (it->second->transport->sendRtcp(out, bytes.size())) counters_.nacksRelayed.fetch_add(1, std::memory_order_relaxed);
}

void RtcpResponder::answerLayeredNack(MediaClient& subscriber, const MediaClient& publisher, PublishedTrack& track, const RtcpPacket& nack) {
  Subscription* sub = clients_.subscriptionOf(track.ssrc, subscriber);
  if (sub == nullptr || !sub->layers) return;
  nack.forEachNack([&](std::uint16_t seq) {
    const auto original = sub->layers->original(seq);
    if (!original) return;
    const auto kept = track.sent ? track.sent->find(original->second, static_cast<std::size_t>(original->first)) : std::span<const std::uint8_t>{};
    if (kept.empty()) return;
    auto& out = scratch();
    std::copy(kept.begin(), kept.end(), out.begin());
    RtpRewriter::rewrite(std::span(out.data(), kept.size()), *sub->layers, track.ssrc);
    if (track.vp8) {
      auto copy = RtpPacket::parse(std::span(out.data(), kept.size()));
      const auto d = copy ? Vp8Descriptor::parse(copy->payload()) : std::nullopt;
      if (d) {
        const std::size_t at = kept.size() - copy->payload().size() - copy->paddingSize();
        RtpRewriter::renumber(std::span(out.data() + at, copy->payload().size()), *d, *sub->layers);
      }
    }
    stampCopy(subscriber, std::span(out.data(), kept.size()), publisher);
    if (subscriber.transport->sendRtp(out, kept.size())) counters_.retransmitted.fetch_add(1, std::memory_order_relaxed);
  });
}

void RtcpResponder::stampCopy(MediaClient& subscriber, std::span<std::uint8_t> copy, const MediaClient& publisher) {
  auto p = RtpPacket::parse(copy);
  if (!p) return;
  RtpRewriter::foreignExtensions(copy, *p, publisher, subscriber);
  if (subscriber.downlink->extension() == 0) return;
  subscriber.downlink->stamp(copy, SubscriberBandwidth::find(*p, publisher.twccExtension), microsecondsNow());
}

void RtcpResponder::handle(MediaClient& from, std::span<std::uint8_t> compound, std::int64_t arrivalUs) {
  std::span<const std::uint8_t> rest = compound;
  while (!rest.empty()) {
    auto p = RtcpPacket::first(rest);
    if (!p) return;
    if (p->type() == RtcpPacket::SenderReport || p->type() == RtcpPacket::ReceiverReport) {
      if (p->type() == RtcpPacket::SenderReport) passSenderReport(from, *p, arrivalUs);
      if (p->count() != 0) bandwidth_.adaptLayers(from, *p, arrivalUs);
    } else if (p->isNack()) {
      answerNack(from, *p, rest.first(p->size()));
    } else if (p->type() == RtcpPacket::TransportFeedback && p->count() == RtcpPacket::kTransportCc) {
      if (auto feedback = TransportFeedback::parse(*p); feedback && from.downlink->onFeedback(*feedback, arrivalUs) != 0) {
        counters_.feedbackRead.fetch_add(1, std::memory_order_relaxed);
      }
    } else if (p->type() == RtcpPacket::PayloadFeedback && p->count() == RtcpPacket::kApplicationLayer) {
      if (auto remb = p->remb()) {
        from.downlink->onRemb(remb->bitrate, arrivalUs);
        counters_.rembRead.fetch_add(1, std::memory_order_relaxed);
      }
    } else if (p->isPli()) {
      if (auto ssrc = p->mediaSsrc()) keyframes_.request(*ssrc);
    } else if (p->type() == RtcpPacket::PayloadFeedback && p->count() == RtcpPacket::kFir) {
      for (std::size_t i = 0; i < p->firEntries(); ++i) {
        if (auto e = p->firEntry(i)) keyframes_.request(e->first);
      }
    }
    rest = rest.subspan(p->size());
  }
}

void RtcpResponder::passSenderReport(MediaClient& from, const RtcpPacket& sr, std::int64_t arrivalUs) {
  const auto ssrc = sr.senderSsrc();
  const auto info = sr.senderInfo();
  if (!ssrc || !info) return;
  bool rtx = false;
  int layer = -1;
  PublishedTrack* track = from.trackOf(*ssrc, rtx, layer);
  if (track == nullptr || rtx) return;
  (layer < 0 ? track->stats : track->layers[static_cast<std::size_t>(layer)].stats).onSenderReport(info->ntpTime, arrivalUs);
  // The recorder aligns the publisher's audio with its video by these reports.
  ShardRecorder::onSenderReport(from, *track, layer, info->ntpTime, info->rtpTimestamp);
  auto subs = clients_.subscribers.find(track->ssrc);
  if (subs == clients_.subscribers.end()) return;
  constexpr std::size_t kSenderReportSize = 28;  // header, SSRC, sender info
  const auto bytes = sr.bytes().first(kSenderReportSize);
  auto& out = scratch();
  for (auto& sub : subs->second) {
    if (sub.client->transport->state() != MediaTransport::State::Connected) continue;
    // A layer's report goes to those who get that layer, in their numbers.
    if (sub.layers && sub.layers->current() != layer) continue;
    std::copy(bytes.begin(), bytes.end(), out.begin());
    out[0] = 0x80;  // no report blocks, no padding
    out[2] = 0;
    out[3] = kSenderReportSize / 4 - 1;
    if (sub.layers) {
      const std::uint32_t ts = sub.layers->outTimestamp(info->rtpTimestamp);
      const std::uint32_t s = track->ssrc;
      const std::uint8_t fields[8] = {static_cast<std::uint8_t>(s >> 24), static_cast<std::uint8_t>(s >> 16),
                                      static_cast<std::uint8_t>(s >> 8), static_cast<std::uint8_t>(s),
                                      static_cast<std::uint8_t>(ts >> 24), static_cast<std::uint8_t>(ts >> 16),
                                      static_cast<std::uint8_t>(ts >> 8), static_cast<std::uint8_t>(ts)};
      std::copy(fields, fields + 4, out.begin() + 4);       // SSRC
      std::copy(fields + 4, fields + 8, out.begin() + 16);  // RTP timestamp
    }
    if (sub.client->transport->sendRtcp(out, kSenderReportSize)) counters_.senderReports.fetch_add(1, std::memory_order_relaxed);
  }
}

void RtcpResponder::sendReceiverReports() {
  const std::int64_t nowUs = microsecondsNow();
  std::array<RtcpReportBlock, 8> blocks{};
  for (auto& [key, entry] : clients_.byKey) {
    if (entry->transport->state() != MediaTransport::State::Connected) continue;
    std::size_t n = 0;
    for (auto& p : entry->published) {
      if (p.stats.received() && n < blocks.size()) blocks[n++] = p.stats.report(p.ssrc, nowUs);
      for (auto& l : p.layers) {
        if (l.stats.received() && n < blocks.size()) blocks[n++] = l.stats.report(l.ssrc, nowUs);
      }
    }
    if (n == 0) continue;
    auto& out = scratch();
    const std::size_t size = RtcpWriter::receiverReport(out, 1, std::span(blocks.data(), n));
    if (size != 0 && entry->transport->sendRtcp(out, size)) counters_.receiverReports.fetch_add(1, std::memory_order_relaxed);
  }
}

}  // namespace aerie
