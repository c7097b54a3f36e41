// libFuzzer target: SRTP and SRTCP (SrtpContext behind SrtpSession). The first byte picks the
// path: bit 2 AES-CM with HMAC-SHA1 or AES-GCM; bit 0 RTCP or RTP; bit 1 whether the rest is a wire packet to
// unprotect (any bytes: lengths, header extensions, tags, replays of earlier inputs) or a
// plain packet to protect with one session and open with its peer, which must give the same
// bytes back. The sessions live across inputs, with a limit of 8 SSRCs, so that the stream
// table, the rollover counters and the replay windows see long histories and fill up.
// Invariants: nothing reads or writes outside the buffer (ASan); a round trip is exact.
#include <cstddef>
#include <cstdint>
#include <cstring>
#include <memory>
#include <vector>

#include "media/SrtpSession.hpp"

using aerie::SrtpProfile;
using aerie::SrtpSession;

namespace {

struct Sessions {
  explicit Sessions(SrtpProfile profile) {
    const std::size_t n = aerie::srtpKeyLength(profile) + aerie::srtpSaltLength(profile);
    const std::vector<std::uint8_t> a(n, 0xA5), b(n, 0x3C);
    sender = SrtpSession::create(profile, a, b, 8);
    receiver = SrtpSession::create(profile, b, a, 8);
  }
  std::unique_ptr<SrtpSession> sender, receiver;
};

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  static Sessions gcm(SrtpProfile::AeadAes128Gcm), cm(SrtpProfile::Aes128CmSha1_80);
  if (size < 1) return 0;
  Sessions& s = data[0] & 4 ? cm : gcm;
  if (!s.sender || !s.receiver) return 0;
  const bool rtcp = data[0] & 1;
  const bool roundTrip = data[0] & 2;
  const std::size_t length = size - 1;
  // Exactly as long as the packet plus the largest trailer, so that ASan sees any overrun.
  std::vector<std::uint8_t> buffer(data + 1, data + size);
  buffer.resize(length + 20);
  if (!roundTrip) {
    auto n = rtcp ? s.receiver->unprotectRtcp(buffer, length) : s.receiver->unprotectRtp(buffer, length);
    if (n && *n > length) __builtin_trap();
    return 0;
  }
  auto n = rtcp ? s.sender->protectRtcp(buffer, length) : s.sender->protectRtp(buffer, length);
  if (!n) return 0;
  if (*n != length + (rtcp ? s.sender->rtcpOverhead() : s.sender->rtpOverhead())) __builtin_trap();
  auto m = rtcp ? s.receiver->unprotectRtcp(buffer, *n) : s.receiver->unprotectRtp(buffer, *n);
  // A retransmission or an SSRC beyond the receiver's limit may be refused; what opens must be
  // what was sent.
  if (m && (*m != length || std::memcmp(buffer.data(), data + 1, length) != 0)) __builtin_trap();
  return 0;
}
