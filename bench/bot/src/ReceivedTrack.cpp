#include "ReceivedTrack.hpp"

#include <algorithm>

#include "AbsSendTime.hpp"
#include "codec/Vp8Descriptor.hpp"

namespace aerie::bot {

namespace {
constexpr auto kKeyframeRequestGap = std::chrono::milliseconds(500);
}

ReceivedTrack::ReceivedTrack(std::string publisherId, std::string kind, std::uint32_t ssrc, bool decode,
                             std::optional<std::size_t> publisher, std::uint8_t absSendTimeId)
    : publisherId_(std::move(publisherId)),
      kind_(std::move(kind)),
      ssrc_(ssrc),
      video_(kind_ == "video"),
      publisher_(publisher),
      absSendTimeId_(absSendTimeId) {
  if (video_ && decode) {
    depayloader_ = std::make_unique<Vp8Depayloader>();
    decoder_ = std::make_unique<VideoDecoder>();
  }
}

void ReceivedTrack::count(SizeCounts& counts, std::uint32_t size, std::uint64_t n) {
  for (auto& [s, c] : counts) {
    if (s == size) {
      c += n;
      return;
    }
  }
  counts.emplace_back(size, n);
}

bool ReceivedTrack::receive(const RtpPacket& packet, Clock::time_point arrival, bool measuring,
                            const SendTimes& sendTimes, LatencyHistogram& latency) {
  const std::uint16_t sequence = packet.sequenceNumber();
  if (first_) {
    first_ = false;
    baseSequence_ = highestSequence_ = (1ull << 16) + sequence;  // room below for reordering
  } else {
    // The 16-bit difference to the highest so far, as a signed step (RFC 3550 appendix A.1).
    const auto step = static_cast<std::int16_t>(static_cast<std::uint16_t>(sequence - static_cast<std::uint16_t>(highestSequence_)));
    if (step > 0) highestSequence_ += static_cast<std::uint64_t>(step);
  }
  ++counters_.packets;
  counters_.bytes += packet.payload().size();
  if (video_) {
    // A key frame's first packet gives the picture size (of the layer, with simulcast).
    if (const auto d = Vp8Descriptor::parse(packet.payload()); d && d->keyframe && d->width != 0) {
      size_ = static_cast<std::uint32_t>(d->width) << 16 | d->height;
    }
  }
  const bool frameEnd = !video_ || packet.marker();
  if (frameEnd) ++counters_.frames;
  if (measuring) {
    ++counters_.windowPackets;
    if (frameEnd) {
      ++counters_.windowFrames;
      if (video_) count(counters_.windowFramesBySize, size_);
    }
    if (publisher_ && absSendTimeId_ != 0) {
      if (const auto value = packet.extension(absSendTimeId_)) {
        if (const auto stamp = AbsSendTime::read(*value)) {
          if (const auto sent = sendTimes.find(*publisher_, *stamp)) {
            latency.add(std::chrono::duration_cast<std::chrono::microseconds>(arrival - *sent).count());
            ++counters_.latencySamples;
          }
        }
      }
    }
  }
  if (!decoder_ || !decodePacket(packet, measuring)) return false;
  if (arrival - lastKeyframeRequest_ < kKeyframeRequestGap) return false;
  lastKeyframeRequest_ = arrival;
  return true;
}

// True when the decoder needs a key frame.
bool ReceivedTrack::decodePacket(const RtpPacket& packet, bool measuring) {
  const std::uint64_t droppedBefore = depayloader_->dropped();
  const auto result = depayloader_->push(packet.sequenceNumber(), packet.marker(), packet.payload());
  if (depayloader_->dropped() != droppedBefore) decoder_->lost();
  if (result == Vp8Depayloader::Result::Frame && decoder_->decode(depayloader_->frame(), depayloader_->keyframe()) &&
      measuring) {
    const auto& d = decoder_->counters();
    count(counters_.windowDecodedBySize, d.width << 16 | d.height);
  }
  return decoder_->state() == VideoDecoder::State::Waiting;
}

std::optional<RtcpReportBlock> ReceivedTrack::reportBlock() {
  if (first_) return std::nullopt;
  const std::uint64_t expected = this->expected();
  const std::uint64_t expectedInterval = expected - expectedPrior_;
  const std::uint64_t receivedInterval = counters_.packets - receivedPrior_;
  expectedPrior_ = expected;
  receivedPrior_ = counters_.packets;
  const std::uint64_t lostInterval = expectedInterval > receivedInterval ? expectedInterval - receivedInterval : 0;
  RtcpReportBlock b;
  b.ssrc = ssrc_;
  b.fractionLost = expectedInterval == 0 ? 0 : static_cast<std::uint8_t>(std::min<std::uint64_t>(255, (lostInterval << 8) / expectedInterval));
  b.cumulativeLost = static_cast<std::int32_t>(std::min<std::uint64_t>(lost(), 0x7FFFFF));
  b.highestSequence = static_cast<std::uint32_t>(highestSequence_ - (1ull << 16));  // the cycles count from 0
  return b;
}

std::uint64_t ReceivedTrack::expected() const { return first_ ? 0 : highestSequence_ - baseSequence_ + 1; }

std::uint64_t ReceivedTrack::lost() const {
  const std::uint64_t e = expected();
  return e > counters_.packets ? e - counters_.packets : 0;
}

}  // namespace aerie::bot
