#include "media/SrtpSession.hpp"

#include <srtp2/srtp.h>

#include <climits>

#include "media/SrtpGcmContext.hpp"

namespace aerie {
namespace {

// The same replay window as our GCM streams (the reason is given there).
constexpr unsigned long kReplayWindow = SrtpGcmContext::kRtpReplayWindow;

bool initialised() {
  // A function-local static: initialised once, thread-safely, on first use.
  static const bool ok = srtp_init() == srtp_err_status_ok;
  return ok;
}

srtp_t makeContext(SrtpProfile profile, std::span<const std::uint8_t> keySalt, bool outbound) {
  srtp_policy_t policy{};
  switch (profile) {
    case SrtpProfile::Aes128CmSha1_80:
      srtp_crypto_policy_set_aes_cm_128_hmac_sha1_80(&policy.rtp);
      srtp_crypto_policy_set_aes_cm_128_hmac_sha1_80(&policy.rtcp);
      break;
    case SrtpProfile::AeadAes128Gcm:  // SrtpGcmContext's
    case SrtpProfile::None:
      return nullptr;
  }
  policy.ssrc.type = outbound ? ssrc_any_outbound : ssrc_any_inbound;
  // libsrtp copies the key into its own context; it only reads through this pointer.
  policy.key = const_cast<unsigned char*>(keySalt.data());
  policy.window_size = kReplayWindow;
  // A retransmission (NACK without RTX) sends the same sequence number again.
  policy.allow_repeat_tx = outbound ? 1 : 0;
  srtp_t ctx = nullptr;
  if (srtp_create(&ctx, &policy) != srtp_err_status_ok) return nullptr;
  return ctx;
}

}  // namespace

std::unique_ptr<SrtpSession> SrtpSession::create(SrtpProfile profile,
                                                 std::span<const std::uint8_t> localKeySalt,
                                                 std::span<const std::uint8_t> remoteKeySalt,
                                                 std::size_t maxStreams) {
  const std::size_t length = srtpKeyLength(profile) + srtpSaltLength(profile);
  if (profile == SrtpProfile::None || localKeySalt.size() != length || remoteKeySalt.size() != length) {
    return nullptr;
  }
  if (profile == SrtpProfile::AeadAes128Gcm) {
    auto gcm = SrtpGcmContext::create(localKeySalt, remoteKeySalt, maxStreams);
    if (!gcm) return nullptr;
    return std::unique_ptr<SrtpSession>(new SrtpSession(profile, nullptr, nullptr, std::move(gcm)));
  }
  if (!initialised()) return nullptr;
  srtp_t outbound = makeContext(profile, localKeySalt, true);
  srtp_t inbound = outbound ? makeContext(profile, remoteKeySalt, false) : nullptr;
  if (!inbound) {
    if (outbound) srtp_dealloc(outbound);
    return nullptr;
  }
  return std::unique_ptr<SrtpSession>(new SrtpSession(profile, outbound, inbound, nullptr));
}

std::unique_ptr<SrtpSession> SrtpSession::fromDtls(const SrtpKeys& keys, DtlsTransport::Role role,
                                                   std::size_t maxStreams) {
  const bool client = role == DtlsTransport::Role::Client;
  return create(keys.profile, client ? keys.clientKeySalt() : keys.serverKeySalt(),
                client ? keys.serverKeySalt() : keys.clientKeySalt(), maxStreams);
}

SrtpSession::SrtpSession(SrtpProfile profile, srtp_ctx_t_* outbound, srtp_ctx_t_* inbound,
                         std::unique_ptr<SrtpGcmContext> gcm)
    : profile_(profile), outbound_(outbound), inbound_(inbound), gcm_(std::move(gcm)) {}

SrtpSession::~SrtpSession() {
  if (outbound_) srtp_dealloc(outbound_);
  if (inbound_) srtp_dealloc(inbound_);
}

std::size_t SrtpSession::rtpOverhead() const {
  return profile_ == SrtpProfile::AeadAes128Gcm ? 16
                                                : 10;  // GCM tag; HMAC-SHA1 truncated to 80 bits
}

std::size_t SrtpSession::rtcpOverhead() const {
  return rtpOverhead() + 4;
}

std::optional<std::size_t> SrtpSession::result(int status, int length) {
  switch (status) {
    case srtp_err_status_ok:
      return static_cast<std::size_t>(length);
    case srtp_err_status_auth_fail:
      ++counters_.authFailures;
      break;
    case srtp_err_status_replay_fail:
    case srtp_err_status_replay_old:
      ++counters_.replays;
      break;
    default:
      ++counters_.otherFailures;
      break;
  }
  return std::nullopt;
}

template <typename Result>
std::optional<std::size_t> SrtpSession::gcmResult(Result r) {
  switch (r.status) {
    case SrtpGcmContext::Status::Ok:
      return r.length;
    case SrtpGcmContext::Status::AuthFailure:
      ++counters_.authFailures;
      break;
    case SrtpGcmContext::Status::Replay:
      ++counters_.replays;
      break;
    case SrtpGcmContext::Status::TooManyStreams:
      ++counters_.tooManyStreams;
      break;
    case SrtpGcmContext::Status::Malformed:
      ++counters_.otherFailures;
      break;
  }
  return std::nullopt;
}

std::optional<std::size_t> SrtpSession::protectRtp(std::span<std::uint8_t> buffer,
                                                   std::size_t length) {
  if (gcm_) return gcmResult(gcm_->protectRtp(buffer, length));
  if (length < 12 || length > buffer.size() || buffer.size() - length < rtpOverhead() ||
      buffer.size() > INT_MAX) {
    ++counters_.otherFailures;
    return std::nullopt;
  }
  int n = static_cast<int>(length);
  // The status first: an argument list would not order the call before reading n.
  const int status = srtp_protect(outbound_, buffer.data(), &n);
  return result(status, n);
}

std::optional<std::size_t> SrtpSession::unprotectRtp(std::span<std::uint8_t> buffer,
                                                     std::size_t length) {
  if (gcm_) return gcmResult(gcm_->unprotectRtp(buffer, length));
  if (length < 12 || length > buffer.size() || length > INT_MAX) {
    ++counters_.otherFailures;
    return std::nullopt;
  }
  int n = static_cast<int>(length);
  const int status = srtp_unprotect(inbound_, buffer.data(), &n);
  return result(status, n);
}

std::optional<std::size_t> SrtpSession::protectRtcp(std::span<std::uint8_t> buffer,
                                                    std::size_t length) {
  if (gcm_) return gcmResult(gcm_->protectRtcp(buffer, length));
  if (length < 8 || length > buffer.size() || buffer.size() - length < rtcpOverhead() ||
      buffer.size() > INT_MAX) {
    ++counters_.otherFailures;
    return std::nullopt;
  }
  int n = static_cast<int>(length);
  const int status = srtp_protect_rtcp(outbound_, buffer.data(), &n);
  return result(status, n);
}

std::optional<std::size_t> SrtpSession::unprotectRtcp(std::span<std::uint8_t> buffer,
                                                      std::size_t length) {
  if (gcm_) return gcmResult(gcm_->unprotectRtcp(buffer, length));
  if (length < 8 || length > buffer.size() || length > INT_MAX) {
    ++counters_.otherFailures;
    return std::nullopt;
  }
  int n = static_cast<int>(length);
  const int status = srtp_unprotect_rtcp(inbound_, buffer.data(), &n);
  return result(status, n);
}

}  // namespace aerie
