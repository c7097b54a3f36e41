#include "media/SrtpContext.hpp"

#include "media/SrtpByteOrder.hpp"
#include "media/SrtpCmCrypto.hpp"
#include "media/SrtpGcmCrypto.hpp"

namespace aerie {
namespace {

using Status = SrtpContext::Status;
// A UDP datagram's largest payload; the cipher takes lengths as int.
constexpr std::size_t kMaxPacket = 65535;

// The RTP header's length (RFC 3550 section 5.1): fixed part, CSRCs, and the extension with its
// own 4-byte header; 0 if it does not fit in `length` bytes or the version is not 2.
std::size_t rtpHeaderLength(const std::uint8_t* p, std::size_t length) {
  if (length < 12 || (p[0] >> 6) != 2) return 0;
  std::size_t n = 12 + 4 * static_cast<std::size_t>(p[0] & 0x0F);
  if (p[0] & 0x10) {
    if (n + 4 > length) return 0;
    n += 4 + 4 * (static_cast<std::size_t>(p[n + 2]) << 8 | p[n + 3]);
  }
  return n <= length ? n : 0;
}

SrtpContext::Result fail(Status status) { return {status, 0}; }

}  // namespace

std::unique_ptr<SrtpContext> SrtpContext::create(SrtpProfile profile, std::span<const std::uint8_t> localKeySalt,
                                                 std::span<const std::uint8_t> remoteKeySalt, std::size_t maxStreams) {
  if (profile == SrtpProfile::AeadAes128Gcm) {
    auto local = SrtpGcmCrypto::derive(localKeySalt);
    auto remote = SrtpGcmCrypto::derive(remoteKeySalt);
    if (!local || !remote) return nullptr;
    return fromCiphers(SrtpGcmCrypto::create(*local, true), SrtpGcmCrypto::create(*remote, false), maxStreams);
  }
  if (profile == SrtpProfile::Aes128CmSha1_80) {
    auto local = SrtpCmCrypto::derive(localKeySalt);
    auto remote = SrtpCmCrypto::derive(remoteKeySalt);
    if (!local || !remote) return nullptr;
    return fromCiphers(SrtpCmCrypto::create(*local), SrtpCmCrypto::create(*remote), maxStreams);
  }
  return nullptr;
}

std::unique_ptr<SrtpContext> SrtpContext::fromCiphers(std::unique_ptr<SrtpCipher> outbound,
                                                      std::unique_ptr<SrtpCipher> inbound, std::size_t maxStreams) {
  if (!outbound || !inbound) return nullptr;
  return std::unique_ptr<SrtpContext>(new SrtpContext(std::move(outbound), std::move(inbound), maxStreams));
}

SrtpContext::SrtpContext(std::unique_ptr<SrtpCipher> out, std::unique_ptr<SrtpCipher> in, std::size_t maxStreams)
    : out_(std::move(out)), in_(std::move(in)), sent_(maxStreams), received_(maxStreams) {}

SrtpContext::Outbound* SrtpContext::outbound(std::uint32_t ssrc) {
  Outbound* s = sent_.find(ssrc);
  return s ? s : sent_.insert(ssrc);
}

SrtpContext::Result SrtpContext::protectRtp(std::span<std::uint8_t> buffer, std::size_t length) {
  std::uint8_t* p = buffer.data();
  const std::size_t tag = out_->rtpOverhead();
  if (length > buffer.size() || length > kMaxPacket || buffer.size() - length < tag) return fail(Status::Malformed);
  const std::size_t header = rtpHeaderLength(p, length);
  if (header == 0) return fail(Status::Malformed);
  const std::uint32_t ssrc = srtp::get32(p + 8);
  const auto seq = static_cast<std::uint16_t>(p[2] << 8 | p[3]);
  Outbound* s = outbound(ssrc);
  if (!s) return fail(Status::TooManyStreams);
  // The first packet has rollover counter 0; later ones count the wraps of the sequence number.
  // A retransmission (NACK without RTX) of an older number keeps the counter it was sent with.
  const std::int64_t index = s->started ? srtpEstimateIndex(s->highest, seq) : seq;
  if (index < 0) return fail(Status::Malformed);
  const auto i = static_cast<std::uint64_t>(index);
  if (!out_->sealRtp(p, header, length, ssrc, static_cast<std::uint32_t>(i >> 16), seq)) {
    return fail(Status::Malformed);
  }
  if (!s->started || i > s->highest) s->highest = i;
  s->started = true;
  return {Status::Ok, length + tag};
}

SrtpContext::Result SrtpContext::unprotectRtp(std::span<std::uint8_t> buffer, std::size_t length) {
  std::uint8_t* p = buffer.data();
  const std::size_t tag = in_->rtpOverhead();
  if (length > buffer.size() || length > kMaxPacket || length < 12 + tag) return fail(Status::Malformed);
  const std::size_t header = rtpHeaderLength(p, length - tag);
  if (header == 0) return fail(Status::Malformed);
  const std::uint32_t ssrc = srtp::get32(p + 8);
  const auto seq = static_cast<std::uint16_t>(p[2] << 8 | p[3]);
  Inbound* s = received_.find(ssrc);
  if (!s && received_.full()) return fail(Status::TooManyStreams);
  // A new SSRC's first packet has index `seq` (rollover counter 0); its state is kept only once
  // the packet authenticates, so forged packets cannot fill the table.
  const std::int64_t index = s && s->rtp.started() ? srtpEstimateIndex(s->rtp.highest(), seq) : seq;
  if (index < 0) return fail(Status::Replay);
  const auto i = static_cast<std::uint64_t>(index);
  if (s && !s->rtp.fresh(i)) return fail(Status::Replay);
  if (!in_->openRtp(p, header, length, ssrc, static_cast<std::uint32_t>(i >> 16), seq)) {
    return fail(Status::AuthFailure);
  }
  if (!s) s = received_.insert(ssrc);
  s->rtp.accept(i);
  return {Status::Ok, length - tag};
}

SrtpContext::Result SrtpContext::protectRtcp(std::span<std::uint8_t> buffer, std::size_t length) {
  std::uint8_t* p = buffer.data();
  const std::size_t trailer = out_->rtcpOverhead();
  if (length < 8 || length > buffer.size() || length > kMaxPacket || buffer.size() - length < trailer) {
    return fail(Status::Malformed);
  }
  const std::uint32_t ssrc = srtp::get32(p + 4);
  Outbound* s = outbound(ssrc);
  if (!s) return fail(Status::TooManyStreams);
  // 2^31 packets of one SSRC need a new master key (RFC 3711 section 9.2); we refuse instead.
  if (s->rtcpIndex > 0x7FFFFFFFu) return fail(Status::Malformed);
  if (!out_->sealRtcp(p, length, ssrc, s->rtcpIndex)) return fail(Status::Malformed);
  ++s->rtcpIndex;
  return {Status::Ok, length + trailer};
}

SrtpContext::Result SrtpContext::unprotectRtcp(std::span<std::uint8_t> buffer, std::size_t length) {
  std::uint8_t* p = buffer.data();
  const std::size_t trailer = in_->rtcpOverhead();
  if (length > buffer.size() || length > kMaxPacket || length < 8 + trailer) return fail(Status::Malformed);
  const std::uint32_t ssrc = srtp::get32(p + 4);
  const std::uint32_t index = in_->rtcpIndexWord(p, length) & 0x7FFFFFFFu;
  Inbound* s = received_.find(ssrc);
  if (!s && received_.full()) return fail(Status::TooManyStreams);
  if (s && !s->rtcp.fresh(index)) return fail(Status::Replay);
  if (!in_->openRtcp(p, length, ssrc)) return fail(Status::AuthFailure);
  if (!s) s = received_.insert(ssrc);
  s->rtcp.accept(index);
  return {Status::Ok, length - trailer};
}

bool SrtpContext::setNextRtcpIndex(std::uint32_t ssrc, std::uint32_t index) {
  Outbound* s = outbound(ssrc);
  if (!s || index > 0x7FFFFFFFu) return false;
  s->rtcpIndex = index;
  return true;
}

}  // namespace aerie
