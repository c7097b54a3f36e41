#include "record/PublisherRecording.hpp"

#include <utility>

namespace aerie {

const char* PublisherRecording::toString(State state) {
  switch (state) {
    case State::Waiting: return "waiting";
    case State::Recording: return "recording";
    case State::Failed: return "failed";
    case State::Closed: return "closed";
  }
  return "?";
}

PublisherRecording::PublisherRecording(Options options) : options_(std::move(options)) {
  videoClock_.rate = options_.videoClockRate == 0 ? 90000 : options_.videoClockRate;
  audioClock_.rate = options_.audioClockRate == 0 ? 48000 : options_.audioClockRate;
}

std::int64_t PublisherRecording::Clock::toMs(std::uint32_t timestamp, std::int64_t fileMs) {
  if (!anchored) {
    anchored = true;
    anchorMs = fileMs;
    anchorTs = timestamp;
    lastTs = timestamp;
    return fileMs;
  }
  // Unwrap: the nearest 64-bit value to the last one with these low 32 bits.
  const auto delta = static_cast<std::int32_t>(timestamp - static_cast<std::uint32_t>(lastTs));
  lastTs += delta;
  return anchorMs + (lastTs - anchorTs) * 1000 / static_cast<std::int64_t>(rate);
}

std::int64_t PublisherRecording::Clock::ntpMsOf(std::int64_t unwrapped) const {
  // The report's timestamp unwrapped near the clock's last one.
  const std::int64_t report = lastTs + static_cast<std::int32_t>(reportTs - static_cast<std::uint32_t>(lastTs));
  return reportNtpMs + (unwrapped - report) * 1000 / static_cast<std::int64_t>(rate);
}

void PublisherRecording::onSenderReport(bool video, std::uint64_t ntpTime, std::uint32_t rtpTimestamp) {
  Clock& clock = video ? videoClock_ : audioClock_;
  clock.hasReport = true;
  // NTP: seconds in the high 32 bits, the fraction of a second in the low 32.
  clock.reportNtpMs = static_cast<std::int64_t>((ntpTime >> 32) * 1000 + (((ntpTime & 0xFFFFFFFFULL) * 1000) >> 32));
  clock.reportTs = rtpTimestamp;
  if (!aligned_) alignAudio();
}

bool PublisherRecording::alignAudio() {
  if (aligned_ || state_ != State::Recording || !options_.video || !videoClock_.anchored || !audioClock_.anchored ||
      !videoClock_.hasReport || !audioClock_.hasReport) {
    return false;
  }
  // The video anchor's file time is known; the audio anchor goes where its NTP time falls. A
  // shift too large to be the network's is a report to wait past (the next one may be right).
  const std::int64_t offset = audioClock_.ntpMsOf(audioClock_.anchorTs) - videoClock_.ntpMsOf(videoClock_.anchorTs);
  const std::int64_t target = videoClock_.anchorMs + offset;
  if (target - audioClock_.anchorMs > kMaxAlignShiftMs || audioClock_.anchorMs - target > kMaxAlignShiftMs) return false;
  audioClock_.anchorMs = target;
  aligned_ = true;
  return true;
}

bool PublisherRecording::start(std::uint16_t width, std::uint16_t height, std::int64_t nowMs) {
  WebmWriter::Tracks tracks;
  tracks.video = options_.video;
  tracks.width = width;
  tracks.height = height;
  tracks.audio = options_.audio;
  tracks.channels = options_.audioChannels;
  tracks.sampleRate = options_.audioClockRate;
  if (!writer_.open(options_.path, tracks)) {
    state_ = State::Failed;
    return false;
  }
  state_ = State::Recording;
  startMs_ = nowMs;
  clusterSince_ = nowMs;
  return true;
}

void PublisherRecording::write(std::uint64_t track, std::int64_t ms, bool keyframe,
                               std::span<const std::uint8_t> frame) {
  if (!writer_.write(track, ms, keyframe, frame)) {
    state_ = State::Failed;
    writer_.close();
    return;
  }
  ++frames_;
}

void PublisherRecording::onVideo(std::uint16_t sequence, std::uint32_t timestamp, bool marker,
                                 std::span<const std::uint8_t> payload, std::int64_t nowMs) {
  if (!options_.video || state_ == State::Failed || state_ == State::Closed) return;
  if (video_.push(sequence, timestamp, marker, payload) != Vp8FrameAssembler::Result::Frame) return;
  const auto& f = video_.frame();
  if (f.afterLoss && !f.keyframe) needKeyframe_ = true;
  if (needKeyframe_ && !f.keyframe) {
    ++skipped_;
    return;
  }
  if (state_ == State::Waiting) {
    if (f.width == 0 || f.height == 0) return;  // a key frame without its size: wait for another
    if (!start(f.width, f.height, nowMs)) return;
  }
  needKeyframe_ = false;
  write(WebmWriter::kVideoTrack, videoClock_.toMs(f.timestamp, nowMs - startMs_), f.keyframe, f.data);
}

void PublisherRecording::onAudio(std::uint16_t sequence, std::uint32_t timestamp,
                                 std::span<const std::uint8_t> payload, std::int64_t nowMs) {
  if (!options_.audio || state_ == State::Failed || state_ == State::Closed) return;
  if (audio_.push(sequence, payload) != OpusDepacketizer::Result::Frame) return;
  if (state_ == State::Waiting) {
    if (options_.video) return;  // the file starts with video
    if (!start(0, 0, nowMs)) return;
  }
  std::int64_t ms = audioClock_.toMs(timestamp, nowMs - startMs_);
  // The first audio frame after both reports: placed again, by the sender's clock.
  if (!aligned_ && alignAudio()) ms = audioClock_.toMs(timestamp, nowMs - startMs_);
  write(WebmWriter::kAudioTrack, ms, true, payload);
}

bool PublisherRecording::wantsKeyframe(std::int64_t nowMs) {
  if (!options_.video || !needKeyframe_ || state_ == State::Failed || state_ == State::Closed) return false;
  if (nowMs - lastKeyframeAsk_ < kKeyframeRetryMs) return false;
  lastKeyframeAsk_ = nowMs;
  return true;
}

void PublisherRecording::tick(std::int64_t nowMs) {
  if (state_ != State::Recording || nowMs - clusterSince_ < WebmWriter::kClusterMs) return;
  clusterSince_ = nowMs;
  if (!writer_.flush()) {
    state_ = State::Failed;
    writer_.close();
  }
}

void PublisherRecording::close(FileSyncer* syncer) {
  if (state_ == State::Recording) {
    // The last frame lasts about as long as the one before it: 20 ms of Opus, a video frame.
    if (!writer_.close(20, syncer)) state_ = State::Failed;
  }
  if (state_ != State::Failed) state_ = State::Closed;
}

}  // namespace aerie
