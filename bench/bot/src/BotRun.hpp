#pragma once
// What every loop of one aerie-bot run shares: the options, the server's address, the DTLS
// certificate, the send-time table, the encoded clips (read-only), and the run's phase as
// atomics (the main thread moves it, the loops read it).
#include <atomic>
#include <memory>

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
        sendTimes(ssrcBase, std::size_t{options.rooms} * options.peersPerRoom * 2),
        video(options.video, options.clipSeconds),
        audio(options.clipSeconds) {}

  // The SSRCs of client i: audio, then video.
  std::uint32_t audioSsrc(std::size_t client) const { return sendTimes.ssrcBase() + static_cast<std::uint32_t>(2 * client); }
  std::uint32_t videoSsrc(std::size_t client) const { return audioSsrc(client) + 1; }

  const BotOptions options;
  const loadgen::LoopbackUrl server;
  const std::shared_ptr<const DtlsCertificate> certificate;
  const Limits limits{};
  SendTimes sendTimes;
  const VideoSource video;
  const AudioSource audio;
  std::atomic<bool> measuring{false};
  std::atomic<unsigned> complete{0};  // clients with media from every room mate
  std::atomic<unsigned> failed{0};    // clients that gave up
};

}  // namespace aerie::bot
