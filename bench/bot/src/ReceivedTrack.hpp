#pragma once
// One track the server forwards to a bot client (another client's audio or video): packets,
// frames (the RTP marker ends a video frame; every Opus packet is one), sequence gaps (RFC 3550
// appendix A.3: expected from the extended highest sequence number minus received), and, while
// the run is measuring, each packet's latency from its publisher's send time, which SendTimes
// finds by the publisher and the packet's abs-send-time stamp (the SFU may have rewritten SSRC
// and sequence number: simulcast). A video track also counts its frames by picture size, the
// size of the last key frame's VP8 header: with simulcast that tells which layer the SFU sends.
// With a decoder (`--decode`) video frames are reassembled and decoded, and counted by the size
// they decoded to.
#include <chrono>
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "LatencyHistogram.hpp"
#include "SendTimes.hpp"
#include "VideoDecoder.hpp"
#include "Vp8Depayloader.hpp"
#include "codec/RtcpPacket.hpp"
#include "codec/RtpPacket.hpp"

namespace aerie::bot {

class ReceivedTrack {
 public:
  using Clock = std::chrono::steady_clock;
  // Frames per picture size (width << 16 | height), a handful of entries.
  using SizeCounts = std::vector<std::pair<std::uint32_t, std::uint64_t>>;

  struct Counters {
    std::uint64_t packets = 0;
    std::uint64_t frames = 0;
    std::uint64_t bytes = 0;
    std::uint64_t windowPackets = 0;  // while measuring
    std::uint64_t windowFrames = 0;
    std::uint64_t latencySamples = 0;
    SizeCounts windowFramesBySize;   // video: by the last key frame's size
    SizeCounts windowDecodedBySize;  // --decode: by the decoded picture's size
  };

  // `publisher`: the client index of the track's publisher in this run (nullopt: unknown, no
  // latency). `absSendTimeId`: the header extension id its packets carry the stamp under.
  ReceivedTrack(std::string publisherId, std::string kind, std::uint32_t ssrc, bool decode,
                std::optional<std::size_t> publisher, std::uint8_t absSendTimeId);

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
  // This track's block of a receiver report, as a browser sends one each second (RFC 3550
  // section 6.4.1, appendix A.3): the fraction lost since the last one, the cumulative loss, the
  // extended highest sequence number; jitter, LSR and DLSR 0. nullopt before the first packet.
  std::optional<RtcpReportBlock> reportBlock();

  static void count(SizeCounts& counts, std::uint32_t size, std::uint64_t n = 1);

 private:
  bool decodePacket(const RtpPacket& packet, bool measuring);

  std::string publisherId_;
  std::string kind_;
  std::uint32_t ssrc_;
  bool video_;
  std::optional<std::size_t> publisher_;
  std::uint8_t absSendTimeId_;
  bool first_ = true;
  std::uint64_t baseSequence_ = 0;     // extended
  std::uint64_t highestSequence_ = 0;  // extended
  std::uint32_t size_ = 0;             // width << 16 | height of the last key frame
  std::uint64_t expectedPrior_ = 0;    // at the last report block
  std::uint64_t receivedPrior_ = 0;
  std::unique_ptr<Vp8Depayloader> depayloader_;
  std::unique_ptr<VideoDecoder> decoder_;
  Clock::time_point lastKeyframeRequest_{};
  Counters counters_;
};

}  // namespace aerie::bot
