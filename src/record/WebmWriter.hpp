#pragma once
// A WebM file (Matroska, https://www.matroska.org/technical/elements.html) written as it is
// recorded: one video track (VP8) and/or one audio track (Opus), frames as SimpleBlocks, no
// transcoding. Written "live": the Segment's size is unknown until close, and each Cluster is
// built in memory and handed to the kernel with one write() once it holds a second of media
// (or when flush() says so). A file cut short (kill -9 of the process) therefore holds every
// cluster written, whole, and plays up to its last one, as a MediaRecorder file without cues
// does. close() writes the Duration (into an EBML Void reserved for it) and the Segment's size.
// No Cues: players seek by reading clusters.
//
// Own EBML writer rather than libwebm's mkvmuxer: Debian 12's libwebm-dev ships only the
// headers of libwebm's parser (webm/webm_parser.h), not mkvmuxer's; the tests read the files
// back with that parser. Not thread-safe; one per recorded publisher.
#include <cstddef>
#include <cstdint>
#include <span>
#include <string>
#include <vector>

namespace aerie {

class FileSyncer;

class WebmWriter {
 public:
  static constexpr std::uint64_t kVideoTrack = 1;
  static constexpr std::uint64_t kAudioTrack = 2;
  // A cluster is written once it spans this much media.
  static constexpr std::int64_t kClusterMs = 1000;

  struct Tracks {
    bool video = false;
    std::uint16_t width = 0;
    std::uint16_t height = 0;
    bool audio = false;
    std::uint8_t channels = 2;
    std::uint32_t sampleRate = 48000;
  };

  WebmWriter() = default;
  ~WebmWriter();
  WebmWriter(const WebmWriter&) = delete;
  WebmWriter& operator=(const WebmWriter&) = delete;

  // Creates `path` (it must not exist) and writes the header: EBML, Segment, Info, Tracks.
  bool open(const std::string& path, const Tracks& tracks);
  // One frame of `track` at `ms` since the start. Times within a track must not go back; a
  // time before the cluster being built is written at the cluster's start.
  bool write(std::uint64_t track, std::int64_t ms, bool keyframe, std::span<const std::uint8_t> frame);
  // Writes the cluster being built, if any.
  bool flush();
  // Flushes, writes the duration (the last frame's time plus `lastFrameMs`) and the Segment
  // size, and closes the file: with fdatasync here, or, given a `syncer`, by handing the file
  // to it (the caller's loop does not wait for the disk). The writer can be opened again.
  bool close(std::int64_t lastFrameMs = 0, FileSyncer* syncer = nullptr);

  bool isOpen() const { return fd_ >= 0; }
  bool failed() const { return failed_; }
  // Bytes handed to the file so far.
  std::uint64_t bytesWritten() const { return written_; }
  // The latest frame time written, ms.
  std::int64_t lastMs() const { return lastMs_; }

 private:
  bool writeAll(std::span<const std::uint8_t> bytes);
  void startCluster(std::int64_t ms);

  int fd_ = -1;
  std::string path_;
  bool failed_ = false;
  std::uint64_t written_ = 0;
  std::uint64_t segmentDataStart_ = 0;  // file offset of the Segment's first child
  std::uint64_t segmentSizeAt_ = 0;     // file offset of the Segment's size field
  std::uint64_t durationAt_ = 0;        // file offset of the Void that Duration replaces
  std::vector<std::uint8_t> cluster_;   // the cluster being built; reused
  bool clusterOpen_ = false;
  std::int64_t clusterMs_ = 0;
  std::int64_t lastMs_ = 0;
  bool hasVideo_ = false;
};

}  // namespace aerie
