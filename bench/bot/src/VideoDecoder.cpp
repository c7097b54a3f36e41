#include "VideoDecoder.hpp"

#include <vpx/vp8dx.h>
#include <vpx/vpx_decoder.h>

#include <stdexcept>

namespace aerie::bot {

struct VideoDecoder::Codec {
  vpx_codec_ctx_t ctx{};
};

VideoDecoder::VideoDecoder() : codec_(std::make_unique<Codec>()) {
  vpx_codec_dec_cfg_t cfg{};
  cfg.threads = 1;
  if (vpx_codec_dec_init(&codec_->ctx, vpx_codec_vp8_dx(), &cfg, 0) != VPX_CODEC_OK) {
    throw std::runtime_error("libvpx: cannot open a VP8 decoder");
  }
}

VideoDecoder::~VideoDecoder() { vpx_codec_destroy(&codec_->ctx); }

bool VideoDecoder::decode(std::span<const std::uint8_t> frame, bool keyframe) {
  if (keyframe) state_ = State::Decoding;
  if (state_ == State::Waiting) {
    ++counters_.skipped;
    return false;
  }
  if (vpx_codec_decode(&codec_->ctx, frame.data(), static_cast<unsigned>(frame.size()), nullptr, 0) != VPX_CODEC_OK) {
    ++counters_.errors;
    state_ = State::Waiting;
    return false;
  }
  vpx_codec_iter_t iter = nullptr;
  bool got = false;
  while (vpx_image_t* img = vpx_codec_get_frame(&codec_->ctx, &iter)) {
    got = true;
    counters_.width = img->d_w;
    counters_.height = img->d_h;
  }
  if (got) ++counters_.decoded;
  return got;
}

}  // namespace aerie::bot
