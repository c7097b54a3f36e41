#pragma once
// What one bot client sends: its Opus track (a packet every 20 ms) and its VP8 track (a frame
// every 1/fps, payloaded per RFC 7741, marker on the last packet), each with its own SSRC,
// random initial sequence number and timestamp, the transport-wide sequence number in an RFC
// 8285 one-byte extension when agreed (the server's transport-cc feedback reads it), and a
// sender report per track once a second. Each client's send times sit at its own phase inside
// the frame interval, as independent browsers' do, rather than all at once. Every packet's
// send time goes into SendTimes for the receivers' latency. The media comes from clips encoded
// at start (VideoSource, AudioSource), each publisher at its own position in them.
#include <chrono>
#include <cstdint>

#include "AudioSource.hpp"
#include "BotSdp.hpp"
#include "BotTransport.hpp"
#include "SendTimes.hpp"
#include "VideoSource.hpp"
#include "Vp8Payloader.hpp"

namespace aerie::bot {

class Publisher {
 public:
  using Clock = std::chrono::steady_clock;

  struct Counters {
    std::uint64_t videoPackets = 0;
    std::uint64_t videoFrames = 0;
    std::uint64_t keyframes = 0;
    std::uint64_t audioPackets = 0;
    std::uint64_t bytes = 0;  // RTP payload bytes
    std::uint64_t reports = 0;
    std::uint64_t keyframeRequests = 0;  // PLI/FIR received
  };

  // Largest RTP payload: keeps the SRTP datagram within 1200 bytes as browsers do.
  static constexpr std::size_t kMaxPayload = 1100;

  Publisher(std::uint32_t audioSsrc, std::uint32_t videoSsrc, const VideoSource& video, const AudioSource& audio,
            SendTimes& sendTimes, Clock::time_point epoch, double phase);

  // The answer fixed the payload types and the transport-cc extension id.
  void configure(const RemoteTransport& remote);
  // Sends whatever is due by `now` (media every frame interval, reports every second).
  void pace(Clock::time_point now, BotTransport& transport);
  // A PLI or FIR for our video: the next frame is the clip's first, a key frame.
  void keyframeRequested();

  std::uint32_t audioSsrc() const { return audio_.ssrc; }
  std::uint32_t videoSsrc() const { return video_.ssrc; }
  const Counters& counters() const { return counters_; }

 private:
  struct Track {
    std::uint32_t ssrc = 0;
    std::uint8_t payloadType = 0;
    std::uint16_t sequence = 0;
    std::uint32_t timestampBase = 0;
    std::uint64_t next = 0;  // the index of the next frame to send
    std::uint32_t lastTimestamp = 0;
    std::uint32_t packets = 0;
    std::uint32_t octets = 0;
    bool started = false;
  };

  // The RTP header (and the transport-cc extension) for the next packet of `track`.
  std::size_t header(std::span<std::uint8_t> out, Track& track, std::uint32_t timestamp, bool marker);
  bool send(BotTransport& transport, Track& track, std::span<std::uint8_t> buffer, std::size_t length,
            std::size_t payload);
  // Frame slot `index` (its RTP timestamp) carries the clip's next frame.
  void sendVideo(std::uint64_t index, BotTransport& transport);
  void sendAudio(std::uint64_t index, BotTransport& transport);
  void sendReports(Clock::time_point now, BotTransport& transport);
  // The frame slot `now` is in, for a period starting at epoch + phase.
  std::uint64_t slot(Clock::time_point now, Clock::duration period) const;

  const VideoSource& videoSource_;
  const AudioSource& audioSource_;
  SendTimes& sendTimes_;
  Clock::time_point epoch_;
  Clock::duration videoPeriod_;
  Clock::duration phase_;  // within the shortest period (audio's 20 ms)
  Vp8Payloader payloader_{kMaxPayload};
  Track audio_;
  Track video_;
  std::uint16_t pictureId_ = 0;
  std::size_t videoPosition_ = 0;  // in the clip
  std::size_t audioPosition_ = 0;
  std::uint16_t transportCcId_ = 0;
  std::uint16_t transportSequence_ = 0;
  Clock::time_point nextReport_{};
  Counters counters_;
};

}  // namespace aerie::bot
