#include "Publisher.hpp"

#include <algorithm>
#include <array>
#include <random>

#include "codec/RtcpWriter.hpp"

namespace aerie::bot {

namespace {

constexpr std::uint32_t kVideoClock = 90000;
constexpr auto kReportInterval = std::chrono::seconds(1);
constexpr std::size_t kFixedHeader = 12;
constexpr std::size_t kExtensionHeader = 4;  // 0xBEDE and the length in words

void put16(std::uint8_t* p, std::uint16_t v) {
  p[0] = static_cast<std::uint8_t>(v >> 8);
  p[1] = static_cast<std::uint8_t>(v);
}
void put32(std::uint8_t* p, std::uint32_t v) {
  put16(p, static_cast<std::uint16_t>(v >> 16));
  put16(p + 2, static_cast<std::uint16_t>(v));
}

std::uint32_t random32() {
  thread_local std::mt19937 rng{std::random_device{}()};
  return static_cast<std::uint32_t>(rng());
}

// NTP time (RFC 3550 section 4) from the wall clock: seconds since 1900 in 32.32 fixed point.
std::uint64_t ntpNow() {
  const auto since = std::chrono::system_clock::now().time_since_epoch();
  const auto micros = std::chrono::duration_cast<std::chrono::microseconds>(since).count();
  const auto seconds = static_cast<std::uint64_t>(micros / 1'000'000) + 2'208'988'800ull;
  const auto fraction = (static_cast<std::uint64_t>(micros % 1'000'000) << 32) / 1'000'000;
  return seconds << 32 | fraction;
}

// The buffer a packet is built and encrypted in: one per thread.
std::array<std::uint8_t, BotTransport::kMaxDatagram + BotTransport::kSrtpOverhead>& scratch() {
  static thread_local std::array<std::uint8_t, BotTransport::kMaxDatagram + BotTransport::kSrtpOverhead> buffer;
  return buffer;
}

}  // namespace

Publisher::Publisher(std::size_t index, std::uint32_t audioSsrc, std::vector<VideoLayer> video, const AudioSource& audio,
                     SendTimes& sendTimes, Clock::time_point epoch, double phase)
    : index_(index),
      audioSource_(audio),
      sendTimes_(sendTimes),
      epoch_(epoch),
      videoPeriod_(std::chrono::duration_cast<Clock::duration>(
          std::chrono::duration<double>(1.0 / video.back().source->format().fps))),
      phase_(std::chrono::duration_cast<Clock::duration>(std::chrono::milliseconds(AudioSource::kFrameMs) * phase)) {
  audio_.ssrc = audioSsrc;
  audio_.payloadType = 111;
  audio_.sequence = static_cast<std::uint16_t>(random32());
  audio_.timestampBase = random32();
  for (auto& l : video) {
    Video v;
    v.rtp.ssrc = l.ssrc;
    v.rtp.payloadType = 96;
    v.rtp.sequence = static_cast<std::uint16_t>(random32());
    v.rtp.timestampBase = random32();
    v.source = l.source;
    v.rid = std::move(l.rid);
    v.pictureId = static_cast<std::uint16_t>(random32() & 0x7FFF);
    video_.push_back(std::move(v));
  }
}

void Publisher::configure(const RemoteTransport& remote) {
  audio_.payloadType = remote.audioPayloadType;
  for (auto& v : video_) v.rtp.payloadType = remote.videoPayloadType;
  // The one-byte form (RFC 8285) takes ids 1..14.
  auto oneByte = [](std::uint16_t id) { return id <= 14 ? id : std::uint16_t{0}; };
  transportCcId_ = oneByte(remote.transportCcExtension);
  absSendTimeId_ = oneByte(remote.absSendTimeExtension);
  ridId_ = oneByte(remote.ridExtension);
}

std::uint64_t Publisher::slot(Clock::time_point now, Clock::duration period) const {
  const auto since = now - epoch_ - phase_;
  if (since.count() < 0) return 0;
  return static_cast<std::uint64_t>(since / period);
}

bool Publisher::keyframeRequested(std::uint32_t ssrc) {
  bool ours = false;
  for (auto& v : video_) {
    if (ssrc != 0 && v.rtp.ssrc != ssrc) continue;
    v.position = 0;
    ours = true;
  }
  if (ours) ++counters_.keyframeRequests;
  return ours;
}

void Publisher::pace(Clock::time_point now, BotTransport& transport) {
  if (transport.state() != BotTransport::State::Connected) return;
  const auto audioPeriod = std::chrono::duration_cast<Clock::duration>(std::chrono::milliseconds(AudioSource::kFrameMs));
  const std::uint64_t audioSlot = slot(now, audioPeriod);
  const std::uint64_t videoSlot = slot(now, videoPeriod_);
  if (!started_) {
    // The clips start with a key frame, as a browser's first frame is one.
    started_ = true;
    nextVideo_ = videoSlot;
    nextAudio_ = audioSlot;
  }
  // Behind by more than a few frames (the loop stalled): skip to now rather than burst.
  if (audioSlot > nextAudio_ + 5) nextAudio_ = audioSlot;
  if (videoSlot > nextVideo_ + 5) nextVideo_ = videoSlot;
  while (nextAudio_ <= audioSlot) sendAudio(nextAudio_++, transport);
  while (nextVideo_ <= videoSlot) sendVideo(nextVideo_++, transport);
  if (now >= nextReport_) {
    nextReport_ = now + kReportInterval;
    sendReports(transport);
  }
}

std::size_t Publisher::header(std::span<std::uint8_t> out, Track& track, std::uint32_t timestamp, bool marker,
                              std::string_view rid) {
  out[1] = static_cast<std::uint8_t>((marker ? 0x80 : 0x00) | track.payloadType);
  put16(&out[2], track.sequence);
  put32(&out[4], timestamp);
  put32(&out[8], track.ssrc);
  // RFC 8285 one-byte form: profile 0xBEDE, the length in words, then each element as ID and
  // length - 1 in one byte and its value; zero padding to a word.
  std::size_t at = kFixedHeader + kExtensionHeader;
  if (transportCcId_ != 0) {
    out[at] = static_cast<std::uint8_t>(transportCcId_ << 4 | 1);
    put16(&out[at + 1], transportSequence_++);
    at += 3;
  }
  stamped_ = absSendTimeId_ != 0;
  if (stamped_) {
    stamp_ = stamper_.next(Clock::now() - sendTimes_.epoch());
    out[at] = static_cast<std::uint8_t>(absSendTimeId_ << 4 | (AbsSendTime::kSize - 1));
    AbsSendTime::write(&out[at + 1], stamp_);
    at += 1 + AbsSendTime::kSize;
  }
  if (ridId_ != 0 && !rid.empty() && rid.size() <= 16) {
    out[at] = static_cast<std::uint8_t>(ridId_ << 4 | (rid.size() - 1));
    std::copy(rid.begin(), rid.end(), out.begin() + static_cast<std::ptrdiff_t>(at + 1));
    at += 1 + rid.size();
  }
  if (at == kFixedHeader + kExtensionHeader) {
    out[0] = 0x80;
    return kFixedHeader;
  }
  while (at % 4 != 0) out[at++] = 0;
  out[0] = 0x90;
  out[12] = 0xBE;
  out[13] = 0xDE;
  put16(&out[14], static_cast<std::uint16_t>((at - kFixedHeader - kExtensionHeader) / 4));
  return at;
}

bool Publisher::send(BotTransport& transport, Track& track, std::span<std::uint8_t> buffer, std::size_t length,
                     std::size_t payload) {
  ++track.sequence;
  if (stamped_) sendTimes_.record(index_, stamp_, Clock::now());
  if (!transport.sendRtp(buffer, length)) return false;
  ++track.packets;
  track.octets += static_cast<std::uint32_t>(payload);
  counters_.bytes += payload;
  return true;
}

void Publisher::sendVideo(std::uint64_t index, BotTransport& transport) {
  for (auto& layer : video_) sendLayer(layer, index, transport);
}

void Publisher::sendLayer(Video& layer, std::uint64_t index, BotTransport& transport) {
  const VideoSource& source = *layer.source;
  const VideoSource::Frame& frame = source.frame(layer.position);
  layer.position = (layer.position + 1) % source.size();
  const auto timestamp = static_cast<std::uint32_t>(layer.rtp.timestampBase + index * kVideoClock / source.format().fps);
  layer.rtp.lastTimestamp = timestamp;
  const std::size_t count = payloader_.packetCount(frame.data.size());
  auto& buffer = scratch();
  for (std::size_t i = 0; i < count; ++i) {
    const std::size_t head = header(buffer, layer.rtp, timestamp, i + 1 == count, layer.rid);
    const std::size_t payload = payloader_.write(std::span(buffer).subspan(head, BotTransport::kMaxDatagram - head),
                                                 frame.data, i, count, layer.pictureId);
    if (payload == 0) return;
    if (send(transport, layer.rtp, buffer, head + payload, payload)) ++counters_.videoPackets;
  }
  layer.pictureId = static_cast<std::uint16_t>((layer.pictureId + 1) & 0x7FFF);
  ++counters_.videoFrames;
  if (frame.keyframe) ++counters_.keyframes;
}

void Publisher::sendAudio(std::uint64_t index, BotTransport& transport) {
  const auto& frame = audioSource_.frame(audioPosition_);
  audioPosition_ = (audioPosition_ + 1) % audioSource_.size();
  const auto timestamp = static_cast<std::uint32_t>(audio_.timestampBase + index * AudioSource::kFrameSamples);
  audio_.lastTimestamp = timestamp;
  auto& buffer = scratch();
  const std::size_t head = header(buffer, audio_, timestamp, false, {});
  std::copy(frame.begin(), frame.end(), buffer.begin() + static_cast<std::ptrdiff_t>(head));
  if (send(transport, audio_, buffer, head + frame.size(), frame.size())) ++counters_.audioPackets;
}

void Publisher::sendReports(BotTransport& transport) {
  std::vector<Track*> tracks{&audio_};
  for (auto& v : video_) tracks.push_back(&v.rtp);
  for (Track* t : tracks) {
    if (t->packets == 0) continue;
    RtcpSenderInfo info;
    info.ntpTime = ntpNow();
    info.rtpTimestamp = t->lastTimestamp;
    info.packetCount = t->packets;
    info.octetCount = t->octets;
    auto& buffer = scratch();
    const std::size_t n = RtcpWriter::senderReport(buffer, t->ssrc, info);
    if (n != 0 && transport.sendRtcp(buffer, n)) ++counters_.reports;
  }
}

}  // namespace aerie::bot
