#pragma once
// What every loop of one aerie-bot run shares: the options, the server's address, the DTLS
// certificate, the send-time table, the encoded clips (read-only: one video clip per simulcast
// layer), which client each sid is (publishers register, subscribers look up the publisher of a
// forwarded track), and the run's phase as atomics (the main thread moves it, the loops read it).
#include <algorithm>
#include <atomic>
#include <chrono>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <unordered_map>
#include <utility>
#include <vector>

#include "AudioSource.hpp"
#include "BotOptions.hpp"
#include "LoopbackUrl.hpp"
#include "SendTimes.hpp"
#include "VideoSource.hpp"
#include "core/Limits.hpp"
#include "media/DtlsCertificate.hpp"

namespace aerie::bot {

struct BotRun {
  BotRun(BotOptions o, loadgen::LoopbackUrl s, std::uint32_t ssrcBase)
      : options(std::move(o)),
        server(std::move(s)),
        certificate(DtlsCertificate::generate()),
        ssrcBase_(ssrcBase),
        sendTimes(std::size_t{options.rooms} * options.peersPerRoom, std::chrono::steady_clock::now()),
        video(encodeLayers(options)),
        audio(options.clipSeconds) {}

  // The simulcast layers' rids, lowest first (aerie's library's: a quarter, half, full size).
  static std::vector<std::string> rids(const BotOptions& o) {
    return o.simulcast ? std::vector<std::string>{"q", "h", "f"} : std::vector<std::string>{};
  }

  // The SSRCs of client i: audio, then one per video layer (four apart).
  std::uint32_t audioSsrc(std::size_t client) const { return ssrcBase_ + static_cast<std::uint32_t>(4 * client); }
  std::uint32_t videoSsrc(std::size_t client, std::size_t layer) const {
    return audioSsrc(client) + 1 + static_cast<std::uint32_t>(layer);
  }

  void registerSid(const std::string& sid, std::size_t client) {
    const std::lock_guard lock(sidsMutex_);
    clientOfSid_[sid] = client;
  }
  std::optional<std::size_t> clientOf(const std::string& sid) const {
    const std::lock_guard lock(sidsMutex_);
    auto it = clientOfSid_.find(sid);
    if (it == clientOfSid_.end()) return std::nullopt;
    return it->second;
  }

  const BotOptions options;
  const loadgen::LoopbackUrl server;
  const std::shared_ptr<const DtlsCertificate> certificate;
  const Limits limits{};

 private:
  // One clip per layer: with simulcast q, h, f at 1/4, 1/2 and the full size, at most 150 and
  // 500 kbit/s below the full layer's rate (the library's maxBitrate per encoding).
  static std::vector<VideoSource> encodeLayers(const BotOptions& o) {
    std::vector<VideoSource> layers;
    const unsigned full = o.video.targetKbps();
    if (o.simulcast) {
      for (const auto& [scale, cap] : {std::pair{4u, 150u}, std::pair{2u, 500u}}) {
        VideoFormat f = o.video;
        f.width /= scale;
        f.height /= scale;
        f.bitrateKbps = std::max(30u, std::min(cap, full * (scale == 4 ? 15 : 50) / 100));
        layers.emplace_back(f, o.clipSeconds);
      }
    }
    layers.emplace_back(o.video, o.clipSeconds);
    return layers;
  }

  std::uint32_t ssrcBase_;
  mutable std::mutex sidsMutex_;
  std::unordered_map<std::string, std::size_t> clientOfSid_;

 public:
  SendTimes sendTimes;
  const std::vector<VideoSource> video;  // layers, lowest first
  const AudioSource audio;
  std::atomic<bool> measuring{false};
  std::atomic<unsigned> complete{0};  // clients with media from every room mate
  std::atomic<unsigned> failed{0};    // clients that gave up
  std::atomic<unsigned> recordingsRequested{0};
  std::atomic<unsigned> recordingsOn{0};      // recordingEvent on, to the client that asked
  std::atomic<unsigned> recordingErrors{0};
};

}  // namespace aerie::bot
