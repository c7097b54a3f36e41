#pragma once
// The VP8 payload descriptor at the start of an RTP payload (RFC 7741 section 4.2), read from
// the wire: every optional field's presence bit is honoured and every length checked; parse()
// never throws and returns nullopt for a payload too short for what its bits announce. The SFU
// switches simulcast layers at a key frame it finds here; the bot reassembles frames with it.
#include <cstddef>
#include <cstdint>
#include <optional>
#include <span>

namespace aerie {

struct Vp8Descriptor {
  bool start = false;        // S: the first packet of a partition
  std::uint8_t partition = 0;  // PID
  bool nonReference = false;   // N
  std::optional<std::uint16_t> pictureId;  // 7 or 15 bits
  bool longPictureId = false;                // M: 15 bits
  std::optional<std::uint8_t> tl0PicIdx;     // L: TL0PICIDX
  std::size_t pictureIdAt = 0;               // where they are in the payload (0: absent)
  std::size_t tl0PicIdxAt = 0;
  std::size_t size = 1;      // bytes of the descriptor; the VP8 data follows
  // The frame is a key frame: only known on the packet that starts partition 0, from the P bit
  // of the VP8 payload header (RFC 7741 section 4.3; 0 means key frame).
  bool keyframe = false;
  // A key frame's size, from its uncompressed header (RFC 6386 section 9.1: the start code
  // 9d 01 2a, then 14-bit width and height, each with 2 bits of scaling, little-endian); 0 when
  // the packet is too short to hold it or the start code is wrong.
  std::uint16_t width = 0;
  std::uint16_t height = 0;

  static std::optional<Vp8Descriptor> parse(std::span<const std::uint8_t> payload);

  // Rewrite the PictureID (kept to its 7 or 15 bits) and TL0PICIDX in place, in `payload`: the
  // same bytes parse() read this descriptor from, or a copy of them. No-ops for absent fields.
  void writePictureId(std::span<std::uint8_t> payload, std::uint16_t id) const;
  void writeTl0PicIdx(std::span<std::uint8_t> payload, std::uint8_t index) const;
};

}  // namespace aerie
