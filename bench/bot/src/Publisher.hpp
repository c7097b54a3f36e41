#pragma once
// What one bot client sends: its Opus track (a packet every 20 ms) and its VP8 video (a frame
// every 1/fps, payloaded per RFC 7741, marker on the last packet), in one layer or, with
// simulcast, in three (rids q, h, f: a quarter, half and the full size, as aerie's library
// sends in SFU rooms), each layer an RTP stream of its own with its SSRC, random initial
// sequence number, timestamp and PictureID, and its rid in every packet. Every packet carries
// the header extensions agreed: the transport-wide sequence number (the server's transport-cc
// feedback reads it), abs-send-time (AbsSendTime: the key of its send time in SendTimes, for
// the receivers' latency), and the rid of a layer; a sender report goes out per stream once a
// second. Each client's send times sit at its own phase inside the frame interval, as
// independent browsers' do, rather than all at once. The media comes from clips encoded at
// start (VideoSource per layer, AudioSource), each publisher at its own position in them.
#include <chrono>
#include <cstdint>
#include <string>
#include <vector>

#include "AbsSendTime.hpp"
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
    std::uint64_t videoFrames = 0;  // of every layer
    std::uint64_t keyframes = 0;
    std::uint64_t audioPackets = 0;
    std::uint64_t bytes = 0;  // RTP payload bytes
    std::uint64_t reports = 0;
    std::uint64_t keyframeRequests = 0;  // PLI/FIR received
  };

  // One layer of the video: its SSRC, its clip, its rid (empty without simulcast).
  struct VideoLayer {
    std::uint32_t ssrc = 0;
    const VideoSource* source = nullptr;
    std::string rid;
  };

  // Largest RTP payload: keeps the SRTP datagram within 1200 bytes as browsers do.
  static constexpr std::size_t kMaxPayload = 1100;

  // `index`: the client's, which its packets' send times are kept under in `sendTimes`.
  Publisher(std::size_t index, std::uint32_t audioSsrc, std::vector<VideoLayer> video, const AudioSource& audio,
            SendTimes& sendTimes, Clock::time_point epoch, double phase);

  // The answer fixed the payload types and the extension ids.
  void configure(const RemoteTransport& remote);
  // Sends whatever is due by `now` (media every frame interval, reports every second).
  void pace(Clock::time_point now, BotTransport& transport);
  // A PLI for `ssrc` (a layer's next frame is its clip's first, a key frame), or a FIR (0: all
  // layers). False if `ssrc` is none of ours.
  bool keyframeRequested(std::uint32_t ssrc);

  std::uint32_t audioSsrc() const { return audio_.ssrc; }
  std::size_t layers() const { return video_.size(); }
  const Counters& counters() const { return counters_; }

 private:
  struct Track {
    std::uint32_t ssrc = 0;
    std::uint8_t payloadType = 0;
    std::uint16_t sequence = 0;
    std::uint32_t timestampBase = 0;
    std::uint32_t lastTimestamp = 0;
    std::uint32_t packets = 0;
    std::uint32_t octets = 0;
  };
  struct Video {
    Track rtp;
    const VideoSource* source = nullptr;
    std::string rid;
    std::size_t position = 0;  // in the clip
    std::uint16_t pictureId = 0;
  };

  // The RTP header and extensions for the next packet of `track`; sets stamp_.
  std::size_t header(std::span<std::uint8_t> out, Track& track, std::uint32_t timestamp, bool marker,
                     std::string_view rid);
  bool send(BotTransport& transport, Track& track, std::span<std::uint8_t> buffer, std::size_t length,
            std::size_t payload);
  // Frame slot `index` (its RTP timestamp) carries each layer's next frame.
  void sendVideo(std::uint64_t index, BotTransport& transport);
  void sendLayer(Video& layer, std::uint64_t index, BotTransport& transport);
  void sendAudio(std::uint64_t index, BotTransport& transport);
  void sendReports(BotTransport& transport);
  // The frame slot `now` is in, for a period starting at epoch + phase.
  std::uint64_t slot(Clock::time_point now, Clock::duration period) const;

  std::size_t index_;
  const AudioSource& audioSource_;
  SendTimes& sendTimes_;
  Clock::time_point epoch_;
  Clock::duration videoPeriod_;
  Clock::duration phase_;  // within the shortest period (audio's 20 ms)
  Vp8Payloader payloader_{kMaxPayload};
  Track audio_;
  std::vector<Video> video_;
  std::uint64_t nextAudio_ = 0;  // the index of the next frame slot to send
  std::uint64_t nextVideo_ = 0;
  bool started_ = false;
  std::size_t audioPosition_ = 0;
  std::uint16_t transportCcId_ = 0;
  std::uint16_t absSendTimeId_ = 0;
  std::uint16_t ridId_ = 0;
  std::uint16_t transportSequence_ = 0;
  AbsSendTime stamper_;
  std::uint32_t stamp_ = 0;  // of the packet being built
  bool stamped_ = false;
  Clock::time_point nextReport_{};
  Counters counters_;
};

}  // namespace aerie::bot
