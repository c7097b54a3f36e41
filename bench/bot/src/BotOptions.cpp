#include "BotOptions.hpp"

#include <cstdio>
#include <cstdlib>
#include <string_view>

namespace aerie::bot {

namespace {

const char* kUsage = R"(aerie-bot: native Skylink 2.x clients for aerie's SFU (loopback only).

  aerie-bot --api http://127.0.0.1:PORT --app-key KEY [--rooms R] [--peers-per-room N]
            [--seconds S] [--video WxH@FPS] [--video-kbps K] [--threads T] [--decode]
            [--room-prefix P] [--join-timeout S] [--warmup S] [--source 127.0.0.X]
            [--clip-seconds S] [--simulcast] [--record]

Every client joins its room through the room API and socket.io, negotiates one connection with
the server peer MCU as SkylinkJS 2.7.2 does, runs ICE, DTLS and SRTP, publishes VP8 (libvpx, a
generated picture) and Opus (libopus, a tone), and receives every room mate's tracks. Once every
client has frames from every room mate, the run measures for S seconds and prints a JSON summary
on stdout (packets, frames, loss, latency publisher send -> subscriber receive). Exit status 1
when a client never got media from a room mate (each named on stderr). The lines "aerie-bot:
window start" and "aerie-bot: window end" on stderr mark the window for a bench.

  --video WxH@FPS   default 320x240@15      --video-kbps K  encoder target (default from the size)
  --clip-seconds S  the VP8 and Opus are encoded at start into clips this long (default 5),
                    which publishers loop over: a key frame every S seconds, and on PLI/FIR
  --threads T       event loops (default 1), clients spread over them
  --decode          decode every received video frame with libvpx (costs CPU)
  --simulcast       publish the video in three layers as aerie's library does in SFU rooms:
                    rids q, h, f at 1/4, 1/2 and the full size (at most 150 and 500 kbit/s
                    for q and h, --video-kbps for f); subscribers get the layer the SFU picks
  --record          the first client of each room sends startRecordingRoom (as SkylinkJS
                    2.x's startRecording) once it has media from every room mate
)";

bool number(const char* text, double& out) {
  char* end = nullptr;
  out = std::strtod(text, &end);
  return end != text && *end == '\0';
}

}  // namespace

std::optional<BotOptions> BotOptions::parse(int argc, char** argv, int& exitCode) {
  BotOptions o;
  exitCode = 2;
  auto bad = [](std::string_view why) -> std::optional<BotOptions> {
    std::fprintf(stderr, "aerie-bot: %.*s (--help for usage)\n", static_cast<int>(why.size()), why.data());
    return std::nullopt;
  };
  for (int i = 1; i < argc; ++i) {
    const std::string_view a = argv[i];
    if (a == "--help" || a == "-h") {
      std::fputs(kUsage, stdout);
      exitCode = 0;
      return std::nullopt;
    }
    if (a == "--decode") {
      o.decode = true;
      continue;
    }
    if (a == "--simulcast") {
      o.simulcast = true;
      continue;
    }
    if (a == "--record") {
      o.record = true;
      continue;
    }
    if (i + 1 >= argc) return bad(std::string(a) + " needs a value");
    const char* v = argv[++i];
    double n = 0;
    auto positive = [&](double max) { return number(v, n) && n > 0 && n <= max; };
    if (a == "--api") {
      o.api = v;
    } else if (a == "--app-key") {
      o.appKey = v;
    } else if (a == "--room-prefix") {
      o.roomPrefix = v;
    } else if (a == "--source") {
      o.source = v;
    } else if (a == "--video") {
      const unsigned kbps = o.video.bitrateKbps;
      auto f = VideoFormat::parse(v);
      if (!f) return bad("--video takes WIDTHxHEIGHT@FPS, e.g. 320x240@15");
      o.video = *f;
      o.video.bitrateKbps = kbps;
    } else if (a == "--video-kbps") {
      if (!positive(20000)) return bad("--video-kbps takes 1..20000");
      o.video.bitrateKbps = static_cast<unsigned>(n);
    } else if (a == "--rooms") {
      if (!positive(10000)) return bad("--rooms takes 1..10000");
      o.rooms = static_cast<unsigned>(n);
    } else if (a == "--peers-per-room") {
      if (!positive(64) || n < 2) return bad("--peers-per-room takes 2..64");
      o.peersPerRoom = static_cast<unsigned>(n);
    } else if (a == "--seconds") {
      if (!positive(3600)) return bad("--seconds takes a number of seconds up to 3600");
      o.seconds = n;
    } else if (a == "--join-timeout") {
      if (!positive(600)) return bad("--join-timeout takes up to 600 seconds");
      o.joinTimeout = n;
    } else if (a == "--warmup") {
      if (!number(v, n) || n < 0 || n > 600) return bad("--warmup takes 0..600 seconds");
      o.warmup = n;
    } else if (a == "--clip-seconds") {
      if (!number(v, n) || n < 1 || n > 60) return bad("--clip-seconds takes 1..60");
      o.clipSeconds = n;
    } else if (a == "--threads") {
      if (!positive(64)) return bad("--threads takes 1..64");
      o.threads = static_cast<unsigned>(n);
    } else {
      return bad("unknown option " + std::string(a));
    }
  }
  if (o.api.empty() || o.appKey.empty()) return bad("--api and --app-key are required");
  return o;
}

}  // namespace aerie::bot
