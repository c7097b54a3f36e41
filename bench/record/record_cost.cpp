// The cost of recording one publisher, in process: RTP payloads as a browser sends them (VP8 at
// --kbps in 1200-byte packets, 30 frames/s, a key frame of 8 delta frames' size every 3 s; Opus
// 20 ms frames of 80 bytes) go through PublisherRecording into a WebM file, as ShardMedia's loop
// does. Prints CPU per second of media, bytes written per second, and the slowest write() of a
// cluster (the call the room's loop waits for).
//   aerie-record-cost [--seconds 60] [--kbps 1500] [--dir /tmp]
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <ctime>
#include <filesystem>
#include <string>
#include <unistd.h>
#include <vector>

#include "record/PublisherRecording.hpp"

namespace {

double cpuSeconds() {
  timespec ts{};
  clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &ts);
  return static_cast<double>(ts.tv_sec) + static_cast<double>(ts.tv_nsec) / 1e9;
}

}  // namespace

int main(int argc, char** argv) {
  int seconds = 60;
  int kbps = 1500;
  std::string dir = "/tmp";
  for (int i = 1; i + 1 < argc; i += 2) {
    if (std::strcmp(argv[i], "--seconds") == 0) seconds = std::atoi(argv[i + 1]);
    if (std::strcmp(argv[i], "--kbps") == 0) kbps = std::atoi(argv[i + 1]);
    if (std::strcmp(argv[i], "--dir") == 0) dir = argv[i + 1];
  }
  const std::string path = dir + "/aerie-record-cost-" + std::to_string(::getpid()) + ".webm";
  aerie::PublisherRecording::Options o;
  o.path = path;
  o.audio = o.video = true;
  aerie::PublisherRecording rec(o);

  const std::size_t delta = static_cast<std::size_t>(kbps) * 1000 / 8 / 30 * 90 / 100;
  std::vector<std::uint8_t> payload(1300, 0x55);
  std::uint16_t vseq = 0;
  std::uint16_t aseq = 0;
  std::uint32_t vts = 0;
  std::uint32_t ats = 0;
  std::uint64_t packets = 0;
  const double cpu0 = cpuSeconds();
  const auto wall0 = std::chrono::steady_clock::now();
  double slowestTickMs = 0;
  // Media time in ms; each step is one audio frame (20 ms), with a video frame every 33.3 ms.
  std::int64_t nextVideoMs = 0;
  for (std::int64_t ms = 0; ms < seconds * 1000LL; ms += 20) {
    const std::uint8_t opus[80] = {0xFC};
    rec.onAudio(aseq++, ats, opus, ms);
    ats += 960;
    ++packets;
    while (nextVideoMs <= ms) {
      const bool key = (nextVideoMs % 3000) < 34;
      std::size_t left = key ? delta * 8 : delta;
      bool first = true;
      while (left > 0) {
        const std::size_t n = std::min<std::size_t>(left, 1200);
        left -= n;
        payload[0] = first ? 0x90 : 0x80;
        payload[1] = 0x80;
        payload[2] = 0x80;
        payload[3] = static_cast<std::uint8_t>(vseq);
        if (first) {
          const std::uint8_t head[] = {static_cast<std::uint8_t>(key ? 0x10 : 0x11), 0, 0, 0x9d, 0x01, 0x2a, 0x80, 0x02, 0xe0, 0x01};
          std::memcpy(payload.data() + 4, head, sizeof head);
        }
        rec.onVideo(vseq++, vts, left == 0, std::span(payload.data(), n + 4), ms);
        ++packets;
        first = false;
      }
      vts += 3000;
      nextVideoMs += 33;
    }
    if (ms % 100 == 0) {
      const auto t0 = std::chrono::steady_clock::now();
      rec.tick(ms);
      slowestTickMs = std::max(slowestTickMs, std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - t0).count());
    }
  }
  rec.close();
  const double cpu = cpuSeconds() - cpu0;
  const double wall = std::chrono::duration<double>(std::chrono::steady_clock::now() - wall0).count();
  const auto bytes = std::filesystem::file_size(path);
  std::printf("{\"mediaSeconds\":%d,\"videoKbps\":%d,\"packets\":%llu,\"cpuSeconds\":%.4f,\"wallSeconds\":%.4f,"
              "\"cpuPerMediaSecondUs\":%.1f,\"cpuPerPacketNs\":%.0f,\"bytesPerSecond\":%.0f,\"slowestTickMs\":%.3f,"
              "\"frames\":%llu}\n",
              seconds, kbps, static_cast<unsigned long long>(packets), cpu, wall, cpu / seconds * 1e6,
              cpu / static_cast<double>(packets) * 1e9, static_cast<double>(bytes) / seconds, slowestTickMs,
              static_cast<unsigned long long>(rec.framesWritten()));
  std::filesystem::remove(path);
  return rec.state() == aerie::PublisherRecording::State::Closed ? 0 : 1;
}
