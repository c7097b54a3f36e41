// libFuzzer target: RTP packets (RtpPacket::parse, the extension lookup, the in-place rewrite,
// the VP8 payload descriptor of the payload) and RTCP compounds (RtcpPacket::validCompound, then
// every accessor of every packet), as they arrive from the wire. Invariants: the views never reach outside the buffer (ASan), and a
// rewritten RTP header parses back to what was written.
#include <cstddef>
#include <cstdint>
#include <vector>

#include "codec/RtcpPacket.hpp"
#include "codec/RtpPacket.hpp"
#include "codec/Vp8Descriptor.hpp"

using aerie::RtcpPacket;
using aerie::RtpPacket;

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  std::vector<std::uint8_t> buffer(data, data + size);
  if (auto p = RtpPacket::parse(buffer)) {
    std::size_t sum = p->payload().size() + p->paddingSize() + p->headerSize();
    if (auto d = aerie::Vp8Descriptor::parse(p->payload())) {
      if (d->size >= p->payload().size()) __builtin_trap();  // the VP8 data follows the descriptor
    }
    if (sum != size) __builtin_trap();
    for (std::size_t i = 0; i < p->csrcCount(); ++i) sum += p->csrc(i);
    for (int id = 0; id < 256; ++id) {
      if (auto e = p->extension(static_cast<std::uint8_t>(id)); e && !e->empty()) sum += e->size() + e->back();  // two-byte elements may be empty
    }
    p->setSequenceNumber(0xBEEF);
    p->setTimestamp(0x01020304);
    p->setSsrc(0xA1B2C3D4);
    auto q = RtpPacket::parse(buffer);
    if (!q || q->sequenceNumber() != 0xBEEF || q->timestamp() != 0x01020304 || q->ssrc() != 0xA1B2C3D4) {
      __builtin_trap();
    }
    (void)sum;
  }
  const std::span<const std::uint8_t> bytes(data, size);
  (void)RtpPacket::looksLikeRtcp(bytes);
  if (!RtcpPacket::validCompound(bytes)) return 0;
  std::size_t at = 0;
  std::uint64_t sum = 0;
  while (at < size) {
    auto p = RtcpPacket::first(bytes.subspan(at));
    if (!p || p->size() == 0) __builtin_trap();  // validCompound said every packet fits
    sum += p->senderSsrc().value_or(0) + p->mediaSsrc().value_or(0);
    if (auto info = p->senderInfo()) sum += info->ntpTime;
    for (std::size_t i = 0; i < p->count(); ++i) {
      if (auto b = p->reportBlock(i)) sum += b->jitter;
    }
    p->forEachNack([&sum](std::uint16_t s) { sum += s; });
    for (std::size_t i = 0; i < p->firEntries(); ++i) sum += p->firEntry(i)->first;
    if (auto r = p->remb()) sum += r->bitrate;
    at += p->size();
  }
  if (at != size) __builtin_trap();
  (void)sum;
  return 0;
}
