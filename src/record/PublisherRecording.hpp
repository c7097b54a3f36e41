#pragma once
// One publisher's file of a recording: its audio (Opus) and video (VP8) RTP in, a WebM file
// out, frames as they were sent (no transcoding).
//
// Time: each track's frames are placed by their RTP timestamps (unwrapped to 64 bits, at the
// track's clock rate), anchored at the arrival time of the track's first frame. So the frames
// of a track keep the sender's spacing exactly. Audio is then aligned with video by the
// publisher's sender reports (RTCP SR: the NTP time of an RTP timestamp, per track) as soon as
// each track has had one (Chromium sends them within a second): from then on an audio frame is
// placed where its NTP time falls on the video's, so the file keeps the sender's lip sync
// whatever the network did to either track. Until then, and without reports, audio and video
// are aligned by arrival (within the network's jitter). The file starts (time 0) at the first
// video key frame (for a publisher with video; the caller asks for one), or at
// the first audio frame for one without; audio before that is not kept. After a lost video
// frame, video waits for the next key frame (wantsKeyframe()), as a decoder would have to.
// Not thread-safe: it lives on the room's loop, and so does its file's write() (about once a
// second, one cluster: bench/RESULTS.md has the cost).
#include <cstdint>
#include <optional>
#include <span>
#include <string>

#include "record/OpusDepacketizer.hpp"
#include "record/Vp8FrameAssembler.hpp"
#include "record/WebmWriter.hpp"

namespace aerie {

class FileSyncer;

class PublisherRecording {
 public:
  enum class State : std::uint8_t {
    Waiting,    // for the first video key frame (or audio frame): nothing written yet
    Recording,
    Failed,     // the file could not be created or written
    Closed,
  };
  static const char* toString(State state);

  struct Options {
    std::string path;
    bool audio = false;
    bool video = false;
    std::uint32_t audioClockRate = 48000;
    std::uint8_t audioChannels = 2;
    std::uint32_t videoClockRate = 90000;
  };

  explicit PublisherRecording(Options options);

  // One RTP packet of the publisher's audio or video track; `nowMs` its arrival, on a
  // monotonic clock.
  void onAudio(std::uint16_t sequence, std::uint32_t timestamp, std::span<const std::uint8_t> payload,
               std::int64_t nowMs);
  void onVideo(std::uint16_t sequence, std::uint32_t timestamp, bool marker,
               std::span<const std::uint8_t> payload, std::int64_t nowMs);
  // A sender report of the recorded audio or video track (RTCP SR: NTP time, RTP timestamp).
  void onSenderReport(bool video, std::uint64_t ntpTime, std::uint32_t rtpTimestamp);
  // Audio is placed by the sender reports (not by arrival) from now on.
  bool alignedBySenderReports() const { return aligned_; }
  // Whether the publisher should be asked for a key frame now (waiting for one; at most once
  // per kKeyframeRetryMs).
  bool wantsKeyframe(std::int64_t nowMs);
  // Writes the cluster being built if it is older than WebmWriter::kClusterMs (so the file is
  // never more than about a second behind, even when the publisher stops sending).
  void tick(std::int64_t nowMs);
  // Ends the file; with a `syncer`, its sync to disk is left to that (see FileSyncer).
  void close(FileSyncer* syncer = nullptr);

  State state() const { return state_; }
  std::uint64_t bytesWritten() const { return writer_.bytesWritten(); }
  std::int64_t durationMs() const { return writer_.lastMs(); }
  std::uint64_t framesWritten() const { return frames_; }
  std::uint64_t videoFramesDropped() const { return video_.dropped() + skipped_; }
  const std::string& path() const { return options_.path; }

  static constexpr std::int64_t kKeyframeRetryMs = 1000;

 private:
  // A track's RTP clock: timestamps unwrapped, in ms from the file's start.
  struct Clock {
    std::uint32_t rate = 90000;
    bool anchored = false;
    std::int64_t anchorMs = 0;  // file time of the first frame
    std::int64_t anchorTs = 0;  // its unwrapped timestamp
    std::int64_t lastTs = 0;
    bool hasReport = false;  // a sender report: its NTP time (ms) and RTP timestamp
    std::int64_t reportNtpMs = 0;
    std::uint32_t reportTs = 0;
    std::int64_t toMs(std::uint32_t timestamp, std::int64_t fileMs);
    // The sender's NTP time (ms) of an unwrapped timestamp, by the last report.
    std::int64_t ntpMsOf(std::int64_t unwrapped) const;
  };
  // Moves the audio clock's anchor to where the reports put it; false when it cannot yet.
  bool alignAudio();
  // A shift larger than this means a report that cannot be right: arrival stays.
  static constexpr std::int64_t kMaxAlignShiftMs = 5000;
  bool start(std::uint16_t width, std::uint16_t height, std::int64_t nowMs);
  void write(std::uint64_t track, std::int64_t ms, bool keyframe, std::span<const std::uint8_t> frame);

  Options options_;
  State state_ = State::Waiting;
  WebmWriter writer_;
  Vp8FrameAssembler video_;
  OpusDepacketizer audio_;
  Clock videoClock_;
  Clock audioClock_;
  std::int64_t startMs_ = 0;  // arrival time of the file's first frame
  bool needKeyframe_ = true;
  bool aligned_ = false;
  std::int64_t lastKeyframeAsk_ = -kKeyframeRetryMs;
  std::int64_t clusterSince_ = 0;  // when the last cluster was written (arrival clock)
  std::uint64_t frames_ = 0;
  std::uint64_t skipped_ = 0;  // whole video frames not written while waiting for a key frame
};

}  // namespace aerie
