#include "codec/Vp8Descriptor.hpp"

namespace aerie {

std::optional<Vp8Descriptor> Vp8Descriptor::parse(std::span<const std::uint8_t> payload) {
  if (payload.empty()) return std::nullopt;
  Vp8Descriptor d;
  const std::uint8_t first = payload[0];
  d.nonReference = (first & 0x20) != 0;
  d.start = (first & 0x10) != 0;
  d.partition = first & 0x07;
  std::size_t at = 1;
  if ((first & 0x80) != 0) {  // X: the extension byte
    if (payload.size() < at + 1) return std::nullopt;
    const std::uint8_t ext = payload[at++];
    if ((ext & 0x80) != 0) {  // I: PictureID, M says 15 bits
      if (payload.size() < at + 1) return std::nullopt;
      d.pictureIdAt = at;
      if ((payload[at] & 0x80) != 0) {
        if (payload.size() < at + 2) return std::nullopt;
        d.longPictureId = true;
        d.pictureId = static_cast<std::uint16_t>((payload[at] & 0x7F) << 8 | payload[at + 1]);
        at += 2;
      } else {
        d.pictureId = payload[at] & 0x7F;
        at += 1;
      }
    }
    if ((ext & 0x40) != 0) {  // L: TL0PICIDX
      if (payload.size() < at + 1) return std::nullopt;
      d.tl0PicIdxAt = at;
      d.tl0PicIdx = payload[at++];
    }
    if ((ext & 0x30) != 0) ++at;           // T or K: TID/Y/KEYIDX
    if (payload.size() < at) return std::nullopt;
  }
  d.size = at;
  // An empty VP8 part is malformed: every packet carries some of the frame.
  if (payload.size() <= at) return std::nullopt;
  if (d.start && d.partition == 0) d.keyframe = (payload[at] & 0x01) == 0;
  const auto vp8 = payload.subspan(at);
  if (d.keyframe && vp8.size() >= 10 && vp8[3] == 0x9d && vp8[4] == 0x01 && vp8[5] == 0x2a) {
    d.width = static_cast<std::uint16_t>((vp8[6] | vp8[7] << 8) & 0x3FFF);
    d.height = static_cast<std::uint16_t>((vp8[8] | vp8[9] << 8) & 0x3FFF);
  }
  return d;
}

void Vp8Descriptor::writePictureId(std::span<std::uint8_t> payload, std::uint16_t id) const {
  if (!pictureId || pictureIdAt == 0) return;
  if (longPictureId) {
    if (payload.size() < pictureIdAt + 2) return;
    payload[pictureIdAt] = static_cast<std::uint8_t>(0x80 | ((id >> 8) & 0x7F));
    payload[pictureIdAt + 1] = static_cast<std::uint8_t>(id);
  } else {
    if (payload.size() < pictureIdAt + 1) return;
    payload[pictureIdAt] = static_cast<std::uint8_t>(id & 0x7F);
  }
}

void Vp8Descriptor::writeTl0PicIdx(std::span<std::uint8_t> payload, std::uint8_t index) const {
  if (!tl0PicIdx || tl0PicIdxAt == 0 || payload.size() < tl0PicIdxAt + 1) return;
  payload[tl0PicIdxAt] = index;
}

}  // namespace aerie
