// libFuzzer target: session descriptions as a client sends them in `offer`/`answer`
// (SdpDescription::parse, then every view of every media section). Invariants: every view
// lies inside the input (ASan would see a read outside it; the check below asserts it), and
// the limits hold.
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "codec/SdpDescription.hpp"

using aerie::SdpDescription;

namespace {

const char* gBegin = nullptr;
const char* gEnd = nullptr;

void inside(std::string_view v) {
  if (v.empty()) return;
  if (v.data() < gBegin || v.data() + v.size() > gEnd) __builtin_trap();
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view text(reinterpret_cast<const char*>(data), size);
  gBegin = text.data();
  gEnd = text.data() + text.size();
  SdpDescription::Limits limits;
  limits.maxMedia = 16;
  auto d = SdpDescription::parse(text, limits);
  if (!d) return 0;
  if (d->media.size() > limits.maxMedia) __builtin_trap();
  inside(d->iceUfrag);
  inside(d->fingerprint);
  for (auto mid : d->bundle) inside(mid);
  for (const auto& m : d->media) {
    inside(m.kind);
    inside(m.mid);
    inside(d->ufragOf(m));
    inside(d->pwdOf(m));
    inside(d->fingerprintOf(m));
    inside(m.simulcast);
    if (m.codecs.size() > limits.maxCodecsPerMedia || m.ssrcs.size() > limits.maxSsrcsPerMedia) __builtin_trap();
    for (const auto& c : m.codecs) {
      inside(c.name);
      inside(c.fmtp);
      for (auto f : c.feedback) inside(f);
      if (m.codec(c.payloadType) == nullptr) __builtin_trap();
    }
    for (const auto& s : m.ssrcs) {
      inside(s.cname);
      inside(s.msid);
      if (m.ssrc(s.ssrc) == nullptr) __builtin_trap();
    }
    for (const auto& e : m.extensions) {
      inside(e.uri);
      if (m.extensionId(e.uri) == 0) __builtin_trap();
    }
    for (const auto& r : m.rids) inside(r.id);
    for (auto c : m.candidates) inside(c);
  }
  return 0;
}
