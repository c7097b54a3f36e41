#include "VideoSource.hpp"

#include <vpx/vp8cx.h>
#include <vpx/vpx_encoder.h>

#include <memory>
#include <stdexcept>
#include <string>

namespace aerie::bot {

namespace {

struct Encoder {
  vpx_codec_ctx_t ctx{};
  vpx_image_t image{};
  bool open = false;
  bool imageAllocated = false;
  ~Encoder() {
    if (imageAllocated) vpx_img_free(&image);
    if (open) vpx_codec_destroy(&ctx);
  }
};

void draw(vpx_image_t& img, unsigned w, unsigned h, unsigned t) {
  for (unsigned y = 0; y < h; ++y) {
    std::uint8_t* row = img.planes[VPX_PLANE_Y] + static_cast<std::size_t>(y) * static_cast<std::size_t>(img.stride[VPX_PLANE_Y]);
    for (unsigned x = 0; x < w; ++x) row[x] = static_cast<std::uint8_t>((x + y + 3 * t) & 0xFF);
  }
  // A light square crossing the picture, one step per frame.
  const unsigned side = h / 4;
  const unsigned left = (4 * t) % (w - side);
  const unsigned top = (h - side) / 2 + (t % 2);
  for (unsigned y = top; y < top + side && y < h; ++y) {
    std::uint8_t* row = img.planes[VPX_PLANE_Y] + static_cast<std::size_t>(y) * static_cast<std::size_t>(img.stride[VPX_PLANE_Y]);
    for (unsigned x = left; x < left + side; ++x) row[x] = 235;
  }
  for (int plane : {VPX_PLANE_U, VPX_PLANE_V}) {
    for (unsigned y = 0; y < h / 2; ++y) {
      std::uint8_t* row = img.planes[plane] + static_cast<std::size_t>(y) * static_cast<std::size_t>(img.stride[plane]);
      for (unsigned x = 0; x < w / 2; ++x) {
        row[x] = static_cast<std::uint8_t>(plane == VPX_PLANE_U ? 128 + ((x + t) & 31) : 128 - ((y + t) & 31));
      }
    }
  }
}

}  // namespace

VideoSource::VideoSource(const VideoFormat& format, double clipSeconds) : format_(format) {
  vpx_codec_enc_cfg_t cfg{};
  if (vpx_codec_enc_config_default(vpx_codec_vp8_cx(), &cfg, 0) != VPX_CODEC_OK) {
    throw std::runtime_error("libvpx: no default VP8 encoder configuration");
  }
  cfg.g_w = format.width;
  cfg.g_h = format.height;
  cfg.g_timebase = {1, static_cast<int>(format.fps)};
  cfg.g_threads = 1;
  cfg.g_lag_in_frames = 0;  // real time: a frame out for every frame in
  cfg.g_error_resilient = VPX_ERROR_RESILIENT_DEFAULT;
  cfg.rc_end_usage = VPX_CBR;
  cfg.rc_target_bitrate = format.targetKbps();
  cfg.rc_dropframe_thresh = 0;  // every frame of the clip is sent
  cfg.rc_min_quantizer = 4;
  cfg.rc_max_quantizer = 56;
  cfg.kf_mode = VPX_KF_DISABLED;  // the one key frame is the clip's first
  Encoder enc;
  if (vpx_codec_enc_init(&enc.ctx, vpx_codec_vp8_cx(), &cfg, 0) != VPX_CODEC_OK) {
    throw std::runtime_error(std::string("libvpx: VP8 encoder: ") + vpx_codec_error(&enc.ctx));
  }
  enc.open = true;
  vpx_codec_control(&enc.ctx, VP8E_SET_CPUUSED, -6);
  vpx_codec_control(&enc.ctx, VP8E_SET_NOISE_SENSITIVITY, 0);
  if (vpx_img_alloc(&enc.image, VPX_IMG_FMT_I420, format.width, format.height, 16) == nullptr) {
    throw std::runtime_error("libvpx: cannot allocate a picture");
  }
  enc.imageAllocated = true;
  const auto count = static_cast<std::size_t>(clipSeconds * format.fps);
  frames_.resize(count < 1 ? 1 : count);
  for (std::size_t i = 0; i < frames_.size(); ++i) {
    draw(enc.image, format.width, format.height, static_cast<unsigned>(i));
    const vpx_enc_frame_flags_t flags = i == 0 ? VPX_EFLAG_FORCE_KF : 0;
    if (vpx_codec_encode(&enc.ctx, &enc.image, static_cast<vpx_codec_pts_t>(i), 1, flags, VPX_DL_REALTIME) != VPX_CODEC_OK) {
      throw std::runtime_error(std::string("libvpx: encoding failed: ") + vpx_codec_error(&enc.ctx));
    }
    vpx_codec_iter_t iter = nullptr;
    while (const vpx_codec_cx_pkt_t* pkt = vpx_codec_get_cx_data(&enc.ctx, &iter)) {
      if (pkt->kind != VPX_CODEC_CX_FRAME_PKT) continue;
      const auto* bytes = static_cast<const std::uint8_t*>(pkt->data.frame.buf);
      frames_[i].data.insert(frames_[i].data.end(), bytes, bytes + pkt->data.frame.sz);
      frames_[i].keyframe = frames_[i].keyframe || (pkt->data.frame.flags & VPX_FRAME_IS_KEY) != 0;
    }
    if (frames_[i].data.empty()) throw std::runtime_error("libvpx: the encoder dropped a frame of the clip");
  }
  if (!frames_.front().keyframe) throw std::runtime_error("libvpx: the clip does not start with a key frame");
}

std::uint64_t VideoSource::bytes() const {
  std::uint64_t n = 0;
  for (const auto& f : frames_) n += f.data.size();
  return n;
}

}  // namespace aerie::bot
