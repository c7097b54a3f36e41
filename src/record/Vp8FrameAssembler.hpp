#pragma once
// VP8 frames from a publisher's RTP packets, for the recorder (RFC 7741 section 4.5). A frame
// is the packets of one RTP timestamp from the one that starts partition 0 (S=1, PID=0) to the
// one with the marker, with no sequence number missing. Packets may arrive out of order within
// a window of kWindow sequence numbers: each is kept in a slot of its own (allocated once) until
// its frame is whole; the frame is then copied, without descriptors, into one reused buffer. A
// frame that can no longer complete (a newer one completed first) is dropped and the next frame
// says so (`afterLoss`): a VP8 decoder needs a key frame after a lost reference, so the recorder
// waits for one. No allocation per packet. Not thread-safe; one per recorded video track.
#include <array>
#include <cstddef>
#include <cstdint>
#include <memory>
#include <span>
#include <vector>

namespace aerie {

class Vp8FrameAssembler {
 public:
  // Sequence numbers held at once; a packet this far ahead of the last frame pushes out
  // whatever older packet shared its slot.
  static constexpr std::size_t kWindow = 512;  // 750 KiB of slots
  static constexpr std::size_t kMaxPacketBytes = 1500;
  // A frame over this is dropped (browsers' key frames at 2.5 Mbit/s are 100-200 KiB).
  static constexpr std::size_t kMaxFrameBytes = 512 * 1024;

  enum class Result : std::uint8_t {
    Partial,  // kept; its frame is not whole yet
    Frame,    // frame() holds a whole frame until the next push
    Late,     // older than the last frame given out (a late retransmission): ignored
    Invalid,  // not a VP8 payload (descriptor), or too large
  };
  static const char* toString(Result result);

  struct Frame {
    std::span<const std::uint8_t> data;
    std::uint32_t timestamp = 0;
    bool keyframe = false;
    std::uint16_t width = 0;  // key frames only
    std::uint16_t height = 0;
    // Frames between the previous one given out and this one were lost.
    bool afterLoss = false;
  };

  Vp8FrameAssembler();

  Result push(std::uint16_t sequence, std::uint32_t timestamp, bool marker,
              std::span<const std::uint8_t> payload);
  const Frame& frame() const { return frame_; }
  // Frames given up: a packet missing, or over kMaxFrameBytes.
  std::uint64_t dropped() const { return dropped_; }

 private:
  struct Slot {
    bool used = false;
    std::uint16_t sequence = 0;
    std::uint32_t timestamp = 0;
    bool marker = false;
    bool start = false;  // S=1 and PID=0
    bool keyframe = false;
    std::uint16_t width = 0;
    std::uint16_t height = 0;
    std::uint16_t size = 0;  // of the VP8 data (after the descriptor)
    std::array<std::uint8_t, kMaxPacketBytes> data{};
  };
  Slot* held(std::uint16_t sequence, std::uint32_t timestamp);
  // Gives out the frame [first, last] (consecutive slots); false if it is too large.
  bool emit(std::uint16_t first, std::uint16_t last);

  std::unique_ptr<std::array<Slot, kWindow>> slots_;
  std::vector<std::uint8_t> buffer_;
  Frame frame_;
  bool started_ = false;  // a frame was given out: lastSequence_ means something
  std::uint16_t lastSequence_ = 0;  // the last packet of the last frame given out
  bool lossPending_ = false;  // the last frame was too large to give out
  std::uint64_t dropped_ = 0;
};

}  // namespace aerie
