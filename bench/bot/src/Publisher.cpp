#include "Publisher.hpp"

#include <array>
#include <random>

#include "codec/RtcpWriter.hpp"

namespace aerie::bot {

namespace {

constexpr std::uint32_t kVideoClock = 90000;
constexpr auto kReportInterval = std::chrono::seconds(1);
constexpr std::size_t kFixedHeader = 12;
constexpr std::size_t kExtensionSize = 8;  // 0xBEDE, length 1, one 2-byte element, padding

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

Publisher::Publisher(std::uint32_t audioSsrc, std::uint32_t videoSsrc, const VideoSource& video, const AudioSource& audio,
                     SendTimes& sendTimes, Clock::time_point epoch, double phase)
    : videoSource_(video),
      audioSource_(audio),
      sendTimes_(sendTimes),
      epoch_(epoch),
      videoPeriod_(std::chrono::duration_cast<Clock::duration>(std::chrono::duration<double>(1.0 / video.format().fps))),
      phase_(std::chrono::duration_cast<Clock::duration>(std::chrono::milliseconds(AudioSource::kFrameMs) * phase)) {
  audio_.ssrc = audioSsrc;
  audio_.payloadType = 111;
  video_.ssrc = videoSsrc;
  video_.payloadType = 96;
  for (Track* t : {&audio_, &video_}) {
    t->sequence = static_cast<std::uint16_t>(random32());
    t->timestampBase = random32();
  }
  pictureId_ = static_cast<std::uint16_t>(random32() & 0x7FFF);
}

void Publisher::configure(const RemoteTransport& remote) {
  audio_.payloadType = remote.audioPayloadType;
  video_.payloadType = remote.videoPayloadType;
  transportCcId_ = remote.transportCcExtension <= 14 ? remote.transportCcExtension : 0;
}

std::uint64_t Publisher::slot(Clock::time_point now, Clock::duration period) const {
  const auto since = now - epoch_ - phase_;
  if (since.count() < 0) return 0;
  return static_cast<std::uint64_t>(since / period);
}

void Publisher::keyframeRequested() {
  ++counters_.keyframeRequests;
  videoPosition_ = 0;
}

void Publisher::pace(Clock::time_point now, BotTransport& transport) {
  if (transport.state() != BotTransport::State::Connected) return;
  const auto audioPeriod = std::chrono::duration_cast<Clock::duration>(std::chrono::milliseconds(AudioSource::kFrameMs));
  const std::uint64_t audioSlot = slot(now, audioPeriod);
  const std::uint64_t videoSlot = slot(now, videoPeriod_);
  if (!video_.started) {
    // The clip starts with a key frame, as a browser's first frame is one.
    video_.started = audio_.started = true;
    video_.next = videoSlot;
    audio_.next = audioSlot;
  }
  // Behind by more than a few frames (the loop stalled): skip to now rather than burst.
  if (audioSlot > audio_.next + 5) audio_.next = audioSlot;
  if (videoSlot > video_.next + 5) video_.next = videoSlot;
  while (audio_.next <= audioSlot) sendAudio(audio_.next++, transport);
  while (video_.next <= videoSlot) sendVideo(video_.next++, transport);
  if (now >= nextReport_) {
    nextReport_ = now + kReportInterval;
    sendReports(now, transport);
  }
}

std::size_t Publisher::header(std::span<std::uint8_t> out, Track& track, std::uint32_t timestamp, bool marker) {
  const bool extension = transportCcId_ != 0;
  out[0] = static_cast<std::uint8_t>(0x80 | (extension ? 0x10 : 0x00));
  out[1] = static_cast<std::uint8_t>((marker ? 0x80 : 0x00) | track.payloadType);
  put16(&out[2], track.sequence);
  put32(&out[4], timestamp);
  put32(&out[8], track.ssrc);
  if (!extension) return kFixedHeader;
  // RFC 8285 one-byte form: profile 0xBEDE, one word; element: ID, L=1 (two bytes).
  out[12] = 0xBE;
  out[13] = 0xDE;
  put16(&out[14], 1);
  out[16] = static_cast<std::uint8_t>(transportCcId_ << 4 | 1);
  put16(&out[17], transportSequence_++);
  out[19] = 0;
  return kFixedHeader + kExtensionSize;
}

bool Publisher::send(BotTransport& transport, Track& track, std::span<std::uint8_t> buffer, std::size_t length,
                     std::size_t payload) {
  const std::uint16_t sequence = track.sequence++;
  sendTimes_.record(track.ssrc, sequence, Clock::now());
  if (!transport.sendRtp(buffer, length)) return false;
  ++track.packets;
  track.octets += static_cast<std::uint32_t>(payload);
  counters_.bytes += payload;
  return true;
}

void Publisher::sendVideo(std::uint64_t index, BotTransport& transport) {
  const VideoSource::Frame& frame = videoSource_.frame(videoPosition_);
  videoPosition_ = (videoPosition_ + 1) % videoSource_.size();
  const auto timestamp = static_cast<std::uint32_t>(video_.timestampBase + index * kVideoClock / videoSource_.format().fps);
  video_.lastTimestamp = timestamp;
  const std::size_t count = payloader_.packetCount(frame.data.size());
  auto& buffer = scratch();
  for (std::size_t i = 0; i < count; ++i) {
    const std::size_t head = header(buffer, video_, timestamp, i + 1 == count);
    const std::size_t payload = payloader_.write(std::span(buffer).subspan(head, BotTransport::kMaxDatagram - head),
                                                 frame.data, i, count, pictureId_);
    if (payload == 0) return;
    if (send(transport, video_, buffer, head + payload, payload)) ++counters_.videoPackets;
  }
  pictureId_ = static_cast<std::uint16_t>((pictureId_ + 1) & 0x7FFF);
  ++counters_.videoFrames;
  if (frame.keyframe) ++counters_.keyframes;
}

void Publisher::sendAudio(std::uint64_t index, BotTransport& transport) {
  const auto& frame = audioSource_.frame(audioPosition_);
  audioPosition_ = (audioPosition_ + 1) % audioSource_.size();
  const auto timestamp = static_cast<std::uint32_t>(audio_.timestampBase + index * AudioSource::kFrameSamples);
  audio_.lastTimestamp = timestamp;
  auto& buffer = scratch();
  const std::size_t head = header(buffer, audio_, timestamp, false);
  std::copy(frame.begin(), frame.end(), buffer.begin() + static_cast<std::ptrdiff_t>(head));
  if (send(transport, audio_, buffer, head + frame.size(), frame.size())) ++counters_.audioPackets;
}

void Publisher::sendReports(Clock::time_point, BotTransport& transport) {
  for (Track* t : {&audio_, &video_}) {
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
