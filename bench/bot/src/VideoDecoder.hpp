#pragma once
// A libvpx VP8 decoder for one received track (`--decode`): proof that what arrived are valid
// frames. It decodes only from a key frame on; after a frame that fails it waits for the next
// key frame again.
#include <cstdint>
#include <memory>
#include <span>

namespace aerie::bot {

class VideoDecoder {
 public:
  // Waiting: no key frame yet (or one is needed after an error). Decoding: frames go in.
  enum class State : std::uint8_t { Waiting, Decoding };
  struct Counters {
    std::uint64_t decoded = 0;
    std::uint64_t errors = 0;
    std::uint64_t skipped = 0;  // inter frames while Waiting
    unsigned width = 0;
    unsigned height = 0;
  };

  VideoDecoder();  // throws std::runtime_error if libvpx refuses
  ~VideoDecoder();
  VideoDecoder(const VideoDecoder&) = delete;
  VideoDecoder& operator=(const VideoDecoder&) = delete;

  // True when the frame decoded to a picture.
  bool decode(std::span<const std::uint8_t> frame, bool keyframe);
  // A frame was lost: inter frames are not decodable until the next key frame.
  void lost() { state_ = State::Waiting; }

  State state() const { return state_; }
  const Counters& counters() const { return counters_; }

 private:
  struct Codec;
  std::unique_ptr<Codec> codec_;
  State state_ = State::Waiting;
  Counters counters_;
};

}  // namespace aerie::bot
