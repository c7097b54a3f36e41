#include "record/WebmWriter.hpp"

#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>

#include "RecordTestPackets.hpp"
#include "WebmReadback.hpp"
#include "record/PublisherRecording.hpp"
#include "record/RecordingCatalog.hpp"

namespace aerie {
namespace {

namespace fs = std::filesystem;
using test::WebmReadback;

struct TempDir {
  fs::path path = fs::temp_directory_path() / ("aerie-rec-" + std::to_string(::getpid()) + "-" +
                                               ::testing::UnitTest::GetInstance()->current_test_info()->name());
  TempDir() { fs::create_directories(path); }
  ~TempDir() { fs::remove_all(path); }
};

TEST(WebmWriterTest, TracksResolutionBlocksAndDurationReadBack) {
  TempDir dir;
  const std::string file = (dir.path / "a.webm").string();
  WebmWriter w;
  ASSERT_TRUE(w.open(file, {true, 640, 360, true, 2, 48000}));
  std::vector<std::uint8_t> frame(500, 7);
  for (int ms = 0; ms <= 3000; ms += 20) {
    ASSERT_TRUE(w.write(WebmWriter::kAudioTrack, ms, true, std::span(frame.data(), 60)));
    if (ms % 40 == 0) {
      ASSERT_TRUE(w.write(WebmWriter::kVideoTrack, ms, ms % 1000 == 0, frame));
    }
  }
  ASSERT_TRUE(w.close(20));
  auto r = WebmReadback::read(file);
  ASSERT_TRUE(r.parsed);
  ASSERT_EQ(r.tracks.size(), 2u);
  EXPECT_EQ(r.tracks[0].codec, "V_VP8");
  EXPECT_EQ(r.tracks[0].width, 640u);
  EXPECT_EQ(r.tracks[0].height, 360u);
  EXPECT_EQ(r.tracks[1].codec, "A_OPUS");
  EXPECT_EQ(r.tracks[1].channels, 2u);
  ASSERT_GE(r.tracks[1].codecPrivate.size(), 19u);
  EXPECT_EQ(std::string(r.tracks[1].codecPrivate.begin(), r.tracks[1].codecPrivate.begin() + 8), "OpusHead");
  ASSERT_TRUE(r.durationMs);
  EXPECT_DOUBLE_EQ(*r.durationMs, 3020);
  auto video = r.of(WebmWriter::kVideoTrack);
  auto audio = r.of(WebmWriter::kAudioTrack);
  ASSERT_EQ(video.size(), 76u);
  ASSERT_EQ(audio.size(), 151u);
  EXPECT_EQ(video[25].ms, 1000);
  EXPECT_TRUE(video[25].key);
  EXPECT_FALSE(video[1].key);
  EXPECT_EQ(video[1].bytes, 500u);
  EXPECT_EQ(audio.back().ms, 3000);
  EXPECT_GE(r.clusters, 3u);
}

TEST(WebmWriterTest, AFileCutShortReadsUpToItsLastCluster) {
  TempDir dir;
  const std::string file = (dir.path / "cut.webm").string();
  {
    WebmWriter w;
    ASSERT_TRUE(w.open(file, {false, 0, 0, true, 2, 48000}));
    std::vector<std::uint8_t> frame(80, 1);
    for (int ms = 0; ms <= 2500; ms += 20) ASSERT_TRUE(w.write(WebmWriter::kAudioTrack, ms, true, frame));
    // No close(): what a kill -9 leaves. The last half second was never written.
    const auto size = w.bytesWritten();
    EXPECT_EQ(fs::file_size(file), size);
    // The file as it is now (the destructor would close it properly).
    fs::copy_file(file, dir.path / "copy.webm");
  }
  auto r = WebmReadback::read((dir.path / "copy.webm").string());
  EXPECT_FALSE(r.durationMs);  // never patched
  auto audio = r.of(WebmWriter::kAudioTrack);
  ASSERT_FALSE(audio.empty());
  EXPECT_GE(audio.back().ms, 1980);
  EXPECT_LT(audio.back().ms, 2500);
}

TEST(WebmWriterTest, RefusesAnExistingFile) {
  TempDir dir;
  const std::string file = (dir.path / "x.webm").string();
  std::ofstream(file) << "x";
  WebmWriter w;
  EXPECT_FALSE(w.open(file, {false, 0, 0, true}));
  EXPECT_TRUE(w.failed());
  EXPECT_FALSE(w.write(WebmWriter::kAudioTrack, 0, true, std::vector<std::uint8_t>(3)));
}

TEST(PublisherRecordingTest, StartsAtAKeyFrameAndPlacesTracksByTheirClocks) {
  TempDir dir;
  PublisherRecording::Options o;
  o.path = (dir.path / "p.webm").string();
  o.audio = o.video = true;
  PublisherRecording rec(o);
  EXPECT_TRUE(rec.wantsKeyframe(0));
  EXPECT_FALSE(rec.wantsKeyframe(500));
  const std::uint8_t opus[] = {0xFC, 0xFF, 0xFE};
  // Audio before the key frame is not kept; a delta frame neither.
  rec.onAudio(1, 4000000000u, opus, 0);
  for (const auto& p : test::vp8Frame(10, 4294960000u, false, 1)) rec.onVideo(p.sequence, p.timestamp, p.marker, p.payload, 0);
  EXPECT_EQ(rec.state(), PublisherRecording::State::Waiting);
  // The key frame at t=100 ms; video every 33 ms (3000 ticks, wrapping), audio every 20 ms
  // from t=110 ms.
  std::uint16_t seq = 11;
  std::uint32_t ts = 4294965000u;
  std::uint16_t aseq = 2;
  std::uint32_t ats = 4000000000u + 960 * 5;
  // In order of arrival, as the loop sees them.
  int v = 0;
  int a = 0;
  while (v < 90 || a < 150) {
    const std::int64_t videoAt = 100 + v * 33;
    const std::int64_t audioAt = 110 + a * 20;
    if (v < 90 && (a >= 150 || videoAt <= audioAt)) {
      for (const auto& p : test::vp8Frame(seq, ts, v == 0, 2, 320, 180)) rec.onVideo(p.sequence, p.timestamp, p.marker, p.payload, videoAt);
      seq += 2;
      ts += 3000;
      ++v;
    } else {
      rec.onAudio(aseq++, ats, opus, audioAt);
      ats += 960;
      ++a;
    }
  }
  EXPECT_EQ(rec.state(), PublisherRecording::State::Recording);
  rec.close();
  EXPECT_EQ(rec.state(), PublisherRecording::State::Closed);
  auto r = WebmReadback::read(o.path);
  ASSERT_TRUE(r.parsed);
  ASSERT_EQ(r.tracks.size(), 2u);
  EXPECT_EQ(r.tracks[0].width, 320u);
  EXPECT_EQ(r.tracks[0].height, 180u);
  auto video = r.of(WebmWriter::kVideoTrack);
  auto audio = r.of(WebmWriter::kAudioTrack);
  ASSERT_EQ(video.size(), 90u);
  EXPECT_EQ(video[0].ms, 0);
  EXPECT_TRUE(video[0].key);
  EXPECT_EQ(video[89].ms, 89 * 3000 / 90);  // by the RTP clock, across the wrap
  ASSERT_EQ(audio.size(), 150u);
  EXPECT_EQ(audio[0].ms, 10);  // its first frame arrived 10 ms after the key frame
  EXPECT_EQ(audio[149].ms, 10 + 149 * 20);
  ASSERT_TRUE(r.durationMs);
  EXPECT_NEAR(*r.durationMs, 10 + 149 * 20 + 20, 1);  // the last audio frame's end
}

// Audio that reaches the server 80 ms later than the video captured with it (a slower path):
// by arrival it would lag 80 ms behind; the sender reports put it back where it was captured.
TEST(PublisherRecordingTest, SenderReportsAlignAudioWithVideo) {
  TempDir dir;
  PublisherRecording::Options o;
  o.path = (dir.path / "p.webm").string();
  o.audio = o.video = true;
  PublisherRecording rec(o);
  const std::uint8_t opus[] = {0xFC, 0xFF, 0xFE};
  const std::uint32_t v0 = 4294965000u;  // the key frame's timestamp (the clock wraps later)
  const std::uint32_t a0 = 123456u;      // the first audio frame's, captured 10 ms after it
  // The reports: v0 at NTP 1000 s, a0 at 1000.010 s (sent before the first frames arrive).
  const std::uint64_t ntp = 1000ULL << 32;
  rec.onSenderReport(true, ntp, v0);
  rec.onSenderReport(false, ntp + 42949673ULL, a0);  // + 10 ms
  EXPECT_FALSE(rec.alignedBySenderReports());  // nothing recorded yet
  std::uint16_t seq = 1;
  for (int v = 0; v < 30; ++v) {
    for (const auto& p : test::vp8Frame(seq, v0 + 3000u * static_cast<std::uint32_t>(v), v == 0, 1, 320, 180)) {
      rec.onVideo(p.sequence, p.timestamp, p.marker, p.payload, 100 + v * 33);
    }
    ++seq;
  }
  for (int a = 0; a < 40; ++a) rec.onAudio(static_cast<std::uint16_t>(a), a0 + 960u * static_cast<std::uint32_t>(a), opus, 110 + 80 + a * 20);
  EXPECT_TRUE(rec.alignedBySenderReports());
  rec.close();
  auto r = WebmReadback::read(o.path);
  ASSERT_TRUE(r.parsed);
  auto audio = r.of(WebmWriter::kAudioTrack);
  ASSERT_EQ(audio.size(), 40u);
  EXPECT_EQ(audio[0].ms, 10);  // where it was captured, not 90 ms (its arrival)
  EXPECT_EQ(audio[39].ms, 10 + 39 * 20);
  EXPECT_EQ(r.of(WebmWriter::kVideoTrack)[29].ms, 29 * 3000 / 90);
}

// A report that would move audio by more than kMaxAlignShiftMs is not believed: arrival stays.
TEST(PublisherRecordingTest, AnImplausibleReportLeavesArrivalTime) {
  TempDir dir;
  PublisherRecording::Options o;
  o.path = (dir.path / "p.webm").string();
  o.audio = o.video = true;
  PublisherRecording rec(o);
  const std::uint8_t opus[] = {0xFC, 0xFF, 0xFE};
  for (const auto& p : test::vp8Frame(1, 1000, true, 1, 320, 180)) rec.onVideo(p.sequence, p.timestamp, p.marker, p.payload, 0);
  rec.onSenderReport(true, 1000ULL << 32, 1000);
  rec.onSenderReport(false, 2000ULL << 32, 5000);  // 1000 s apart
  rec.onAudio(1, 5000, opus, 30);
  rec.onAudio(2, 5960, opus, 50);
  EXPECT_FALSE(rec.alignedBySenderReports());
  rec.close();
  auto audio = WebmReadback::read(o.path).of(WebmWriter::kAudioTrack);
  ASSERT_EQ(audio.size(), 2u);
  EXPECT_EQ(audio[0].ms, 30);
  EXPECT_EQ(audio[1].ms, 50);
}

TEST(PublisherRecordingTest, AfterALostFrameVideoWaitsForAKeyFrame) {
  TempDir dir;
  PublisherRecording::Options o;
  o.path = (dir.path / "loss.webm").string();
  o.video = true;
  PublisherRecording rec(o);
  auto feed = [&](const std::vector<test::Vp8Packet>& packets, std::int64_t now, int skip = -1) {
    for (int i = 0; i < static_cast<int>(packets.size()); ++i) {
      if (i != skip) rec.onVideo(packets[i].sequence, packets[i].timestamp, packets[i].marker, packets[i].payload, now);
    }
  };
  feed(test::vp8Frame(0, 0, true, 2), 0);
  feed(test::vp8Frame(2, 3000, false, 2), 33);
  EXPECT_FALSE(rec.wantsKeyframe(2000));
  feed(test::vp8Frame(4, 6000, false, 2), 66, 1);  // a packet lost
  feed(test::vp8Frame(6, 9000, false, 2), 99);     // refers to the lost frame: not written
  EXPECT_TRUE(rec.wantsKeyframe(3000));
  feed(test::vp8Frame(8, 12000, true, 2), 133);
  feed(test::vp8Frame(10, 15000, false, 2), 166);
  EXPECT_FALSE(rec.wantsKeyframe(5000));
  rec.close();
  auto video = WebmReadback::read(o.path).of(WebmWriter::kVideoTrack);
  ASSERT_EQ(video.size(), 4u);
  EXPECT_EQ(video[2].ms, 133);
  EXPECT_TRUE(video[2].key);
  EXPECT_EQ(rec.videoFramesDropped(), 2u);
}

TEST(PublisherRecordingTest, AudioOnlyStartsAtItsFirstFrameAndTickWritesAClusterASecond) {
  TempDir dir;
  PublisherRecording::Options o;
  o.path = (dir.path / "audio.webm").string();
  o.audio = true;
  PublisherRecording rec(o);
  const std::uint8_t opus[] = {0xFC, 1};
  for (int i = 0; i < 30; ++i) rec.onAudio(static_cast<std::uint16_t>(i), static_cast<std::uint32_t>(i * 960), opus, 1000 + i * 20);
  const auto header = rec.bytesWritten();
  rec.tick(1500);
  EXPECT_EQ(rec.bytesWritten(), header);  // under a second: kept
  rec.tick(2001);
  EXPECT_GT(rec.bytesWritten(), header);  // the cluster is in the file
  EXPECT_EQ(fs::file_size(o.path), rec.bytesWritten());
  rec.close();
}

TEST(PublisherRecordingTest, AFileThatCannotBeCreatedFails) {
  PublisherRecording::Options o;
  o.path = "/nonexistent-dir/x.webm";
  o.audio = true;
  PublisherRecording rec(o);
  const std::uint8_t opus[] = {0xFC};
  rec.onAudio(1, 0, opus, 0);
  EXPECT_EQ(rec.state(), PublisherRecording::State::Failed);
}

TEST(RecordingCatalogTest, BeginListFinishRemove) {
  TempDir dir;
  RecordingCatalog c((dir.path / "recordings").string(), 1);
  auto started = c.begin("room1", "key1", 1700000000000);
  ASSERT_TRUE(std::holds_alternative<RecordingCatalog::Started>(started));
  const auto s = std::get<RecordingCatalog::Started>(started);
  EXPECT_TRUE(RecordingCatalog::validId(s.id));
  // max concurrent recordings: 1
  auto second = c.begin("room2", "key1", 1700000000000);
  ASSERT_TRUE(std::holds_alternative<std::string>(second));
  EXPECT_EQ(std::get<std::string>(second), "too many recordings");
  std::ofstream(fs::path(s.directory) / RecordingCatalog::fileNameFor("peer/1")) << "webm";
  auto list = c.list();
  ASSERT_EQ(list.size(), 1u);
  EXPECT_EQ(list[0].room, "room1");
  EXPECT_EQ(list[0].appKey, "key1");
  EXPECT_EQ(list[0].startedAt, "2023-11-14T22:13:20.000Z");
  EXPECT_TRUE(list[0].active);
  ASSERT_EQ(list[0].files.size(), 1u);
  EXPECT_EQ(list[0].files[0].name, "peer_1.webm");
  EXPECT_EQ(list[0].files[0].bytes, 4u);
  EXPECT_EQ(c.remove(s.id), RecordingCatalog::Removal::Active);
  c.finish(s.id, 1700000010000);
  EXPECT_EQ(c.find(s.id)->endedAt, "2023-11-14T22:13:30.000Z");
  EXPECT_TRUE(c.filePath(s.id, "peer_1.webm"));
  EXPECT_FALSE(c.filePath(s.id, "../recording.json"));
  EXPECT_FALSE(c.filePath(s.id, "recording.json"));
  EXPECT_FALSE(c.filePath("..", "peer_1.webm"));
  EXPECT_EQ(c.remove(s.id), RecordingCatalog::Removal::Removed);
  EXPECT_EQ(c.remove(s.id), RecordingCatalog::Removal::NotFound);
  EXPECT_TRUE(c.list().empty());
  EXPECT_TRUE(std::holds_alternative<RecordingCatalog::Started>(c.begin("room2", "key1", 0)));
}

}  // namespace
}  // namespace aerie
