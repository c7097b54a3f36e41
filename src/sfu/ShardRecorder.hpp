#pragma once
// The recordings of one shard's rooms (docs/media.md "Recording"): for each room that records,
// its directory and limits, and for each of its publishers a file (PublisherRecording, held by
// the MediaClient) with its first Opus and first VP8 track. The packet path's part (record(),
// recordedLayerOf()) is inline and static: a recorded packet goes into its publisher's file on
// the room's loop, nothing else. On the shard's loop.
#include <chrono>
#include <cstdint>
#include <string>
#include <string_view>
#include <unordered_map>

#include "codec/RtpPacket.hpp"
#include "core/Limits.hpp"
#include "record/FileSyncer.hpp"
#include "sfu/ClientTable.hpp"
#include "sfu/KeyframeRequester.hpp"
#include "sfu/MediaCounters.hpp"
#include "sfu/MediaPlane.hpp"

namespace aerie {

class ShardRecorder {
 public:
  ShardRecorder(ClientTable& clients, KeyframeRequester& keyframes, MediaCounters& counters, const Limits& limits);

  // The room records from now on into `directory`: a file for each of its publishers, and for
  // each that publishes later. Nothing if it records already.
  void start(std::string_view roomKey, const std::string& directory);
  // Closes the room's files. Nothing if the room is not recording.
  void stop(std::string_view roomKey);
  // A file for `client`, if its room records and it publishes something the recorder writes:
  // `<sid>.webm` in the recording's directory (`<sid>-2.webm`, ... for a publisher that comes
  // back).
  void startOf(MediaClient& client);
  // `client` leaves: its file is closed, its bytes still count against the room's limit.
  void leave(MediaClient& client);
  // Every 100 ms: clusters older than a second go to their files, key frames are asked for;
  // `everySecond`, each recording is held to its limits, and `events` hears of those stopped.
  void tick(bool everySecond, MediaEvents* events);

  // The recorder's part of a packet: on this loop, into the publisher's file (its frame
  // assembly copies the payload into buffers allocated when the recording started).
  static void record(MediaClient& publisher, const PublishedTrack& track, const RtpPacket& packet, std::int64_t arrivalUs) {
    auto& rec = *publisher.recording;
    const std::int64_t nowMs = arrivalUs / 1000;
    if (track.ssrc == publisher.recordedVideo) {
      rec.onVideo(packet.sequenceNumber(), packet.timestamp(), packet.marker(), packet.payload(), nowMs);
    } else if (track.ssrc == publisher.recordedAudio) {
      rec.onAudio(packet.sequenceNumber(), packet.timestamp(), packet.payload(), nowMs);
    }
  }

  // The layer a simulcast track is recorded in (one layer: one sequence of frames): the highest
  // one that sent within the last second, chosen at the file's first packet once the track has
  // sent for a second (so that every layer the publisher sends has been seen), and kept for the
  // file. Not always the top one: Chromium sends fewer layers than offered for small pictures
  // (two at 640x480) and pauses upper ones when its bandwidth estimate or CPU is short.
  static int recordedLayerOf(MediaClient& publisher, const PublishedTrack& track, std::int64_t arrivalUs) {
    if (publisher.recordedLayer >= 0) return publisher.recordedLayer;
    std::int64_t since = 0;
    for (const auto& l : track.layers) {
      if (l.firstArrivalUs != 0 && (since == 0 || l.firstArrivalUs < since)) since = l.firstArrivalUs;
    }
    if (since == 0 || arrivalUs - since < 1000000) return -1;
    for (std::size_t i = 0; i < track.layers.size(); ++i) {
      const std::int64_t last = track.layers[i].lastArrivalUs;
      if (last != 0 && arrivalUs - last < 1000000) publisher.recordedLayer = static_cast<int>(i);
    }
    return publisher.recordedLayer;
  }

  // A sender report of `track` (of its simulcast `layer`, else -1): the recorder aligns the
  // publisher's audio with its video by these.
  static void onSenderReport(MediaClient& publisher, const PublishedTrack& track, int layer, std::uint64_t ntpTime,
                             std::uint32_t rtpTimestamp);

 private:
  struct RoomRecording {
    std::string directory;
    std::chrono::steady_clock::time_point started;
    std::uint64_t closedBytes = 0;  // in the files of publishers that left
  };

  void stopOf(MediaClient& client);

  ClientTable& clients_;
  KeyframeRequester& keyframes_;
  MediaCounters& counters_;
  const Limits& limits_;
  std::unordered_map<std::string, RoomRecording> recordings_;  // by room key
  FileSyncer syncer_;  // closed files reach the disk off this loop
};

}  // namespace aerie
