#include "BotReport.hpp"

#include <algorithm>
#include <cmath>
#include <map>

namespace aerie::bot {

namespace json = boost::json;

namespace {

double round3(double v) { return std::round(v * 1000.0) / 1000.0; }

// {"640x480": frames, ...}; "unknown" for frames before the track's first key frame.
json::object bySize(const ReceivedTrack::SizeCounts& counts) {
  json::object out;
  for (const auto& [size, n] : counts) {
    const std::string key = size == 0 ? std::string("unknown")
                                      : std::to_string(size >> 16) + "x" + std::to_string(size & 0xFFFF);
    out[key] = n;
  }
  return out;
}

struct RoomTotals {
  std::uint64_t clients = 0;
  std::uint64_t complete = 0;
  std::uint64_t frames = 0;
  std::uint64_t packets = 0;
  std::uint64_t lost = 0;
  std::uint64_t expected = 0;
  std::uint64_t minTrackFrames = UINT64_MAX;
};

}  // namespace

json::object BotReport::build(const BotRun& run, const std::vector<std::unique_ptr<BotLoop>>& loops,
                              const Window& window, std::vector<std::string>& failures) {
  const BotOptions& o = run.options;
  LatencyHistogram latency;
  std::uint64_t sentVideoPackets = 0, sentAudioPackets = 0, sentFrames = 0, keyframes = 0, keyframeRequests = 0;
  std::uint64_t rtpIn = 0, frames = 0, lost = 0, expected = 0, windowPackets = 0, windowFrames = 0, unknown = 0;
  std::uint64_t decoded = 0, decodeErrors = 0, framesDropped = 0, complete = 0, failed = 0;
  std::vector<double> joinMs;
  ReceivedTrack::SizeCounts framesBySize;
  ReceivedTrack::SizeCounts decodedBySize;
  std::map<std::string, RoomTotals> rooms;
  for (const auto& loop : loops) {
    latency.merge(loop->latency());
    for (const auto& c : loop->clients()) {
      RoomTotals& room = rooms[c->room()];
      ++room.clients;
      if (const Publisher* p = c->publisher()) {
        sentVideoPackets += p->counters().videoPackets;
        sentAudioPackets += p->counters().audioPackets;
        sentFrames += p->counters().videoFrames;
        keyframes += p->counters().keyframes;
        keyframeRequests += p->counters().keyframeRequests;
      }
      unknown += c->unknownSsrcPackets();
      for (const auto& t : c->tracks()) {
        const auto& k = t->counters();
        rtpIn += k.packets;
        frames += k.frames;
        windowPackets += k.windowPackets;
        windowFrames += k.windowFrames;
        for (const auto& [size, n] : k.windowFramesBySize) ReceivedTrack::count(framesBySize, size, n);
        for (const auto& [size, n] : k.windowDecodedBySize) ReceivedTrack::count(decodedBySize, size, n);
        lost += t->lost();
        expected += t->expected();
        framesDropped += t->framesDropped();
        room.frames += k.frames;
        room.packets += k.packets;
        room.lost += t->lost();
        room.expected += t->expected();
        room.minTrackFrames = std::min<std::uint64_t>(room.minTrackFrames, k.frames);
        if (const VideoDecoder* d = t->decoder()) {
          decoded += d->counters().decoded;
          decodeErrors += d->counters().errors;
        }
      }
      if (c->complete()) {
        ++complete;
        ++room.complete;
        joinMs.push_back(c->joinMs());
        continue;
      }
      if (c->state() == BotClient::State::Failed) ++failed;
      std::string why = c->state() == BotClient::State::Failed
                            ? c->failure()
                            : "in state " + std::string(BotClient::toString(c->state())) + ", media from " +
                                  std::to_string(c->matesWithMedia()) + " of " + std::to_string(o.peersPerRoom - 1) +
                                  " room mates";
      failures.push_back("client " + std::to_string(c->index()) + " (room " + c->room() + ", sid " +
                         (c->sid().empty() ? std::string("none") : c->sid()) + "): " + why);
    }
  }
  std::sort(joinMs.begin(), joinMs.end());
  auto joinQuantile = [&](double q) {
    if (joinMs.empty()) return 0.0;
    return round3(joinMs[std::min(joinMs.size() - 1, static_cast<std::size_t>(q * static_cast<double>(joinMs.size())))]);
  };
  const double ms = 1000.0;
  json::object out;
  out["clients"] = std::size_t{o.rooms} * o.peersPerRoom;
  out["rooms"] = o.rooms;
  out["peersPerRoom"] = o.peersPerRoom;
  out["video"] = o.video.toString();
  out["videoKbps"] = o.video.targetKbps();
  out["threads"] = o.threads;
  out["simulcastLayers"] = o.simulcast ? run.video.size() : 0;
  out["complete"] = complete;
  out["failed"] = failed;
  out["joinToMediaMs"] = json::object{{"p50", joinQuantile(0.5)}, {"max", joinMs.empty() ? 0.0 : round3(joinMs.back())}};
  out["windowSeconds"] = round3(window.seconds);
  out["botCpuSeconds"] = round3(window.botCpuSeconds);
  out["sent"] = json::object{{"videoPackets", sentVideoPackets}, {"audioPackets", sentAudioPackets},
                             {"videoFrames", sentFrames}, {"keyframes", keyframes},
                             {"keyframeRequests", keyframeRequests}};
  std::uint64_t clipBytes = 0;
  for (const auto& layer : run.video) clipBytes += layer.bytes();
  out["clip"] = json::object{{"videoFrames", run.video.back().size()}, {"videoBytes", clipBytes},
                             {"audioFrames", run.audio.size()}};
  json::object received{{"rtpPackets", rtpIn}, {"frames", frames}, {"expected", expected}, {"lost", lost},
                        {"lossRate", expected == 0 ? 0.0 : static_cast<double>(lost) / static_cast<double>(expected)},
                        {"windowPackets", windowPackets},
                        {"windowPacketsPerSecond", window.seconds > 0 ? round3(static_cast<double>(windowPackets) / window.seconds) : 0.0},
                        {"windowFramesPerSecond", window.seconds > 0 ? round3(static_cast<double>(windowFrames) / window.seconds) : 0.0},
                        {"unknownSsrcPackets", unknown}, {"framesDropped", framesDropped},
                        {"windowVideoFramesBySize", bySize(framesBySize)}};
  if (o.decode) {
    received["decodedFrames"] = decoded;
    received["decodeErrors"] = decodeErrors;
    received["windowDecodedFramesBySize"] = bySize(decodedBySize);
  }
  out["received"] = std::move(received);
  out["latencyMs"] = json::object{{"samples", latency.count()},
                                  {"p50", round3(static_cast<double>(latency.quantile(0.5)) / ms)},
                                  {"p90", round3(static_cast<double>(latency.quantile(0.9)) / ms)},
                                  {"p99", round3(static_cast<double>(latency.quantile(0.99)) / ms)},
                                  {"max", round3(static_cast<double>(latency.max()) / ms)}};
  json::array perRoom;
  for (const auto& [name, r] : rooms) {
    perRoom.push_back(json::object{{"room", name}, {"clients", r.clients}, {"complete", r.complete},
                                   {"framesReceived", r.frames}, {"packetsReceived", r.packets}, {"lost", r.lost},
                                   {"minFramesPerTrack", r.minTrackFrames == UINT64_MAX ? 0 : r.minTrackFrames}});
  }
  out["perRoom"] = std::move(perRoom);
  if (o.record) {
    out["recordings"] = json::object{{"requested", run.recordingsRequested.load()}, {"on", run.recordingsOn.load()},
                                     {"errors", run.recordingErrors.load()}};
  }
  json::array list;
  for (const auto& f : failures) list.push_back(json::string(f));
  out["failures"] = std::move(list);
  return out;
}

}  // namespace aerie::bot
