#pragma once
// One track the server forwards to a bot client (another client's audio or video): packets,
// frames (the RTP marker ends a video frame; every Opus packet is one), sequence gaps (RFC 3550
// appendix A.3: expected from the extended highest sequence number minus received), and, while
// the run is measuring, each packet's latency from its publisher's send time. With a decoder
// (`--decode`) video frames are reassembled and decoded.
#include <chrono>
#include <cstdint>
#include <memory>
#include <string>

#include "LatencyHistogram.hpp"
#include "SendTimes.hpp"
#include "VideoDecoder.hpp"
#include "Vp8Depayloader.hpp"
#include "codec/RtpPacket.hpp"

namespace aerie::bot {

class ReceivedTrack {
 public:
  using Clock = std::chrono::steady_clock;

  struct Counters {
    std::uint64_t packets = 0;
    std::uint64_t frames = 0;
    std::uint64_t bytes = 0;
    std::uint64_t windowPackets = 0;  // while measuring
    std::uint64_t windowFrames = 0;
    std::uint64_t latencySamples = 0;
  };

  ReceivedTrack(std::string publisherId, std::string kind, std::uint32_t ssrc, bool decode);

  // Returns true when the receiver should ask for a key frame (a decoder waits for one).
  bool receive(const RtpPacket& packet, Clock::time_point arrival, bool measuring, const SendTimes& sendTimes,
               LatencyHistogram& latency);

  const std::string& publisherId() const { return publisherId_; }
  const std::string& kind() const { return kind_; }
  std::uint32_t ssrc() const { return ssrc_; }
  bool video() const { return video_; }
  const Counters& counters() const { return counters_; }
  // Packets never received: expected minus received, never negative.
  std::uint64_t lost() const;
  std::uint64_t expected() const;
  const VideoDecoder* decoder() const { return decoder_.get(); }
  std::uint64_t framesDropped() const { return depayloader_ ? depayloader_->dropped() : 0; }

 private:
  bool decodePacket(const RtpPacket& packet);

  std::string publisherId_;
  std::string kind_;
  std::uint32_t ssrc_;
  bool video_;
  bool first_ = true;
  std::uint64_t baseSequence_ = 0;     // extended
  std::uint64_t highestSequence_ = 0;  // extended
  std::unique_ptr<Vp8Depayloader> depayloader_;
  std::unique_ptr<VideoDecoder> decoder_;
  Clock::time_point lastKeyframeRequest_{};
  Counters counters_;
};

}  // namespace aerie::bot
