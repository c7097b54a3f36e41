#pragma once
// A WebM file read back with libwebm's parser (Debian's libwebm-dev, webm/webm_parser.h), for
// the recorder's tests: its tracks, duration and blocks.
#include <webm/callback.h>
#include <webm/file_reader.h>
#include <webm/webm_parser.h>

#include <cstdint>
#include <cstdio>
#include <optional>
#include <string>
#include <vector>

namespace aerie::test {

struct WebmReadback : webm::Callback {
  struct Track {
    std::uint64_t number = 0;
    std::string codec;
    std::uint64_t width = 0, height = 0, channels = 0;
    std::vector<std::uint8_t> codecPrivate;
  };
  struct Block {
    std::uint64_t track = 0;
    std::int64_t ms = 0;
    bool key = false;
    std::uint64_t bytes = 0;
  };
  std::vector<Track> tracks;
  std::optional<double> durationMs;
  std::vector<Block> blocks;
  std::uint64_t clusters = 0;
  bool parsed = false;  // the parser reached the end without an error

  std::uint64_t clusterMs = 0;

  static WebmReadback read(const std::string& path) {
    WebmReadback r;
    FILE* f = std::fopen(path.c_str(), "rb");
    if (f == nullptr) return r;
    webm::FileReader reader(f);
    webm::WebmParser parser;
    r.parsed = parser.Feed(&r, &reader).completed_ok();
    return r;
  }

  std::vector<Block> of(std::uint64_t track) const {
    std::vector<Block> out;
    for (const auto& b : blocks) {
      if (b.track == track) out.push_back(b);
    }
    return out;
  }

  webm::Status OnInfo(const webm::ElementMetadata&, const webm::Info& info) override {
    if (info.duration.is_present()) durationMs = info.duration.value();
    return webm::Status(webm::Status::kOkCompleted);
  }
  webm::Status OnTrackEntry(const webm::ElementMetadata&, const webm::TrackEntry& t) override {
    Track track;
    track.number = t.track_number.value();
    track.codec = t.codec_id.value();
    track.codecPrivate = t.codec_private.value();
    if (t.video.is_present()) {
      track.width = t.video.value().pixel_width.value();
      track.height = t.video.value().pixel_height.value();
    }
    if (t.audio.is_present()) track.channels = t.audio.value().channels.value();
    tracks.push_back(track);
    return webm::Status(webm::Status::kOkCompleted);
  }
  webm::Status OnClusterBegin(const webm::ElementMetadata&, const webm::Cluster& c, webm::Action* action) override {
    ++clusters;
    clusterMs = c.timecode.value();
    *action = webm::Action::kRead;
    return webm::Status(webm::Status::kOkCompleted);
  }
  webm::Status OnSimpleBlockBegin(const webm::ElementMetadata&, const webm::SimpleBlock& b, webm::Action* action) override {
    blocks.push_back(Block{b.track_number, static_cast<std::int64_t>(clusterMs) + b.timecode, b.is_key_frame, 0});
    *action = webm::Action::kRead;
    return webm::Status(webm::Status::kOkCompleted);
  }
  webm::Status OnFrame(const webm::FrameMetadata&, webm::Reader* reader, std::uint64_t* remaining) override {
    if (!blocks.empty()) blocks.back().bytes += *remaining;
    while (*remaining > 0) {
      std::uint64_t skipped = 0;
      const auto status = reader->Skip(*remaining, &skipped);
      *remaining -= skipped;
      if (!status.ok() && status.code != webm::Status::kOkPartial) return status;
    }
    return webm::Status(webm::Status::kOkCompleted);
  }
};

}  // namespace aerie::test
