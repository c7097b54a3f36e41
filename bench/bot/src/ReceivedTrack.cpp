#include "ReceivedTrack.hpp"

namespace aerie::bot {

namespace {
constexpr auto kKeyframeRequestGap = std::chrono::milliseconds(500);
}

ReceivedTrack::ReceivedTrack(std::string publisherId, std::string kind, std::uint32_t ssrc, bool decode)
    : publisherId_(std::move(publisherId)), kind_(std::move(kind)), ssrc_(ssrc), video_(kind_ == "video") {
  if (video_ && decode) {
    depayloader_ = std::make_unique<Vp8Depayloader>();
    decoder_ = std::make_unique<VideoDecoder>();
  }
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
  const bool frameEnd = !video_ || packet.marker();
  if (frameEnd) ++counters_.frames;
  if (measuring) {
    ++counters_.windowPackets;
    if (frameEnd) ++counters_.windowFrames;
    if (const auto sent = sendTimes.find(packet.ssrc(), sequence)) {
      latency.add(std::chrono::duration_cast<std::chrono::microseconds>(arrival - *sent).count());
      ++counters_.latencySamples;
    }
  }
  if (!decoder_ || !decodePacket(packet)) return false;
  if (arrival - lastKeyframeRequest_ < kKeyframeRequestGap) return false;
  lastKeyframeRequest_ = arrival;
  return true;
}

// True when the decoder needs a key frame.
bool ReceivedTrack::decodePacket(const RtpPacket& packet) {
  const std::uint64_t droppedBefore = depayloader_->dropped();
  const auto result = depayloader_->push(packet.sequenceNumber(), packet.marker(), packet.payload());
  if (depayloader_->dropped() != droppedBefore) decoder_->lost();
  if (result == Vp8Depayloader::Result::Frame) decoder_->decode(depayloader_->frame(), depayloader_->keyframe());
  return decoder_->state() == VideoDecoder::State::Waiting;
}

std::uint64_t ReceivedTrack::expected() const { return first_ ? 0 : highestSequence_ - baseSequence_ + 1; }

std::uint64_t ReceivedTrack::lost() const {
  const std::uint64_t e = expected();
  return e > counters_.packets ? e - counters_.packets : 0;
}

}  // namespace aerie::bot
