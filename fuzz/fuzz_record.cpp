// libFuzzer target: what a publisher's RTP payloads do to the recorder's depacketizers. The
// input is a run of packets, each `[seq:2][timestamp-step:1][flags:1][len:2][payload:len]`, fed
// to one Vp8FrameAssembler (reordering, loss, key frames, sizes) and one OpusDepacketizer.
// Invariants: the views never reach outside their buffers (ASan), a frame never exceeds the
// limit, and the VP8 descriptor parser never says a descriptor is longer than its payload.
#include <cstddef>
#include <cstdint>
#include <span>

#include "codec/Vp8Descriptor.hpp"
#include "record/OpusDepacketizer.hpp"
#include "record/Vp8FrameAssembler.hpp"

using aerie::OpusDepacketizer;
using aerie::Vp8Descriptor;
using aerie::Vp8FrameAssembler;

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  static Vp8FrameAssembler* video = nullptr;
  if (video == nullptr) video = new Vp8FrameAssembler();  // 750 KiB of slots: made once
  *video = Vp8FrameAssembler();
  OpusDepacketizer audio;
  std::uint32_t timestamp = 0;
  std::size_t at = 0;
  while (at + 6 <= size) {
    const auto seq = static_cast<std::uint16_t>(data[at] << 8 | data[at + 1]);
    timestamp += data[at + 2] * 3000u;
    const std::uint8_t flags = data[at + 3];
    std::size_t len = static_cast<std::size_t>(data[at + 4] << 8 | data[at + 5]);
    at += 6;
    if (len > size - at) len = size - at;
    const std::span<const std::uint8_t> payload(data + at, len);
    at += len;
    if (auto d = Vp8Descriptor::parse(payload); d && d->size >= payload.size()) __builtin_trap();
    if ((flags & 2) != 0) {
      audio.push(seq, payload);
      continue;
    }
    if (video->push(seq, timestamp, (flags & 1) != 0, payload) == Vp8FrameAssembler::Result::Frame) {
      const auto& f = video->frame();
      if (f.data.size() > Vp8FrameAssembler::kMaxFrameBytes) __builtin_trap();
      volatile std::uint8_t sink = f.data.empty() ? 0 : f.data.back();
      (void)sink;
    }
  }
  return 0;
}
