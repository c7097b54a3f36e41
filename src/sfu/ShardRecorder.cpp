#include "sfu/ShardRecorder.hpp"

#include <filesystem>
#include <utility>
#include <vector>

#include "core/Log.hpp"
#include "record/RecordingCatalog.hpp"

namespace aerie {

using Clock = std::chrono::steady_clock;

ShardRecorder::ShardRecorder(ClientTable& clients, KeyframeRequester& keyframes, MediaCounters& counters,
                             const Limits& limits)
    : clients_(clients), keyframes_(keyframes), counters_(counters), limits_(limits) {}

void ShardRecorder::start(std::string_view roomKey, const std::string& directory) {
  auto [it, inserted] = recordings_.try_emplace(std::string(roomKey));
  if (!inserted) return;
  it->second.directory = directory;
  it->second.started = Clock::now();
  for (auto& [key, entry] : clients_.byKey) {
    if (entry->roomKey == roomKey) startOf(*entry);
  }
}

void ShardRecorder::startOf(MediaClient& entry) {
  auto room = recordings_.find(entry.roomKey);
  if (room == recordings_.end() || entry.recording) return;
  PublisherRecording::Options o;
  for (const auto& p : entry.published) {
    if (!p.recordable) continue;
    if (p.video && !o.video) {
      o.video = true;
      o.videoClockRate = p.clockRate;
      entry.recordedVideo = p.ssrc;
    } else if (!p.video && !o.audio) {
      o.audio = true;
      o.audioClockRate = p.clockRate;
      o.audioChannels = p.channels == 0 ? 2 : p.channels;
      entry.recordedAudio = p.ssrc;
    }
  }
  if (!o.audio && !o.video) return;
  namespace fs = std::filesystem;
  const std::string name = RecordingCatalog::fileNameFor(entry.sid);
  fs::path path = fs::path(room->second.directory) / name;
  std::error_code ec;
  for (int n = 2; fs::exists(path, ec) && n < 1000; ++n) {
    path = fs::path(room->second.directory) / (name.substr(0, name.size() - 5) + "-" + std::to_string(n) + ".webm");
  }
  o.path = path.string();
  entry.recording = std::make_unique<PublisherRecording>(std::move(o));
  entry.recordedLayer = -1;
  counters_.recordingFiles.fetch_add(1, std::memory_order_relaxed);
  if (entry.recordedVideo != 0) keyframes_.request(entry.recordedVideo);
}

void ShardRecorder::stopOf(MediaClient& entry) {
  if (!entry.recording) return;
  entry.recording->close(&syncer_);
  const auto& rec = *entry.recording;
  log::info("media", "recording file closed",
            {{"file", rec.path()}, {"state", PublisherRecording::toString(rec.state())},
             {"ms", std::to_string(rec.durationMs())}, {"bytes", std::to_string(rec.bytesWritten())},
             {"audioBy", rec.alignedBySenderReports() ? "sender reports" : "arrival"}});
  counters_.recordedBytes.fetch_add(entry.recording->bytesWritten(), std::memory_order_relaxed);
  counters_.recordingFiles.fetch_sub(1, std::memory_order_relaxed);
  entry.recording.reset();
  entry.recordedAudio = entry.recordedVideo = 0;
}

void ShardRecorder::leave(MediaClient& entry) {
  if (!entry.recording) return;
  if (auto r = recordings_.find(entry.roomKey); r != recordings_.end()) r->second.closedBytes += entry.recording->bytesWritten();
  stopOf(entry);
}

void ShardRecorder::tick(bool everySecond, MediaEvents* events) {
  if (recordings_.empty()) return;
  const std::int64_t nowMs = std::chrono::duration_cast<std::chrono::milliseconds>(Clock::now().time_since_epoch()).count();
  std::unordered_map<std::string, std::uint64_t> bytes;
  std::unordered_map<std::string, bool> failed;
  for (auto& [key, entry] : clients_.byKey) {
    if (!entry->recording) continue;
    auto& rec = *entry->recording;
    rec.tick(nowMs);
    if (rec.wantsKeyframe(nowMs) && entry->recordedVideo != 0) keyframes_.request(entry->recordedVideo);
    bytes[entry->roomKey] += rec.bytesWritten();
    if (rec.state() == PublisherRecording::State::Failed) failed[entry->roomKey] = true;
  }
  if (!everySecond) return;
  std::vector<std::pair<std::string, std::string>> stopped;
  for (auto& [room, r] : recordings_) {
    const auto seconds = std::chrono::duration_cast<std::chrono::seconds>(Clock::now() - r.started).count();
    if (failed[room]) {
      stopped.emplace_back(room, "disk error");
    } else if (seconds >= static_cast<std::int64_t>(limits_.maxRecordingSeconds)) {
      stopped.emplace_back(room, "max-recording-seconds reached");
    } else if (bytes[room] + r.closedBytes >= limits_.maxRecordingBytes) {
      stopped.emplace_back(room, "max-recording-bytes reached");
    }
  }
  for (const auto& [room, reason] : stopped) {
    stop(room);
    if (events != nullptr) events->onRecordingStopped(room, reason);
  }
}

void ShardRecorder::stop(std::string_view roomKey) {
  auto it = recordings_.find(std::string(roomKey));
  if (it == recordings_.end()) return;
  recordings_.erase(it);
  for (auto& [key, entry] : clients_.byKey) {
    if (entry->roomKey == roomKey) stopOf(*entry);
  }
}

void ShardRecorder::onSenderReport(MediaClient& from, const PublishedTrack& track, int layer, std::uint64_t ntpTime,
                                   std::uint32_t rtpTimestamp) {
  if (!from.recording) return;
  if (track.ssrc == from.recordedAudio) {
    from.recording->onSenderReport(false, ntpTime, rtpTimestamp);
  } else if (track.ssrc == from.recordedVideo && (layer < 0 || layer == from.recordedLayer)) {
    from.recording->onSenderReport(true, ntpTime, rtpTimestamp);
  }
}

}  // namespace aerie
