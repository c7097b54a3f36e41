#include "media/SrtpSession.hpp"

#include "media/SrtpContext.hpp"

namespace aerie {

std::unique_ptr<SrtpSession> SrtpSession::create(SrtpProfile profile,
                                                 std::span<const std::uint8_t> localKeySalt,
                                                 std::span<const std::uint8_t> remoteKeySalt,
                                                 std::size_t maxStreams) {
  const std::size_t length = srtpKeyLength(profile) + srtpSaltLength(profile);
  if (profile == SrtpProfile::None || localKeySalt.size() != length || remoteKeySalt.size() != length) {
    return nullptr;
  }
  auto context = SrtpContext::create(profile, localKeySalt, remoteKeySalt, maxStreams);
  if (!context) return nullptr;
  return std::unique_ptr<SrtpSession>(new SrtpSession(profile, std::move(context)));
}

std::unique_ptr<SrtpSession> SrtpSession::fromDtls(const SrtpKeys& keys, DtlsTransport::Role role,
                                                   std::size_t maxStreams) {
  const bool client = role == DtlsTransport::Role::Client;
  return create(keys.profile, client ? keys.clientKeySalt() : keys.serverKeySalt(),
                client ? keys.serverKeySalt() : keys.clientKeySalt(), maxStreams);
}

SrtpSession::SrtpSession(SrtpProfile profile, std::unique_ptr<SrtpContext> context)
    : profile_(profile), context_(std::move(context)) {}

SrtpSession::~SrtpSession() = default;

std::size_t SrtpSession::rtpOverhead() const {
  return profile_ == SrtpProfile::AeadAes128Gcm ? 16
                                                : 10;  // GCM tag; HMAC-SHA1 truncated to 80 bits
}

std::size_t SrtpSession::rtcpOverhead() const {
  return rtpOverhead() + 4;
}

template <typename Result>
std::optional<std::size_t> SrtpSession::result(Result r) {
  switch (r.status) {
    case SrtpContext::Status::Ok:
      return r.length;
    case SrtpContext::Status::AuthFailure:
      ++counters_.authFailures;
      break;
    case SrtpContext::Status::Replay:
      ++counters_.replays;
      break;
    case SrtpContext::Status::TooManyStreams:
      ++counters_.tooManyStreams;
      break;
    case SrtpContext::Status::Malformed:
      ++counters_.otherFailures;
      break;
  }
  return std::nullopt;
}

std::optional<std::size_t> SrtpSession::protectRtp(std::span<std::uint8_t> buffer, std::size_t length) {
  return result(context_->protectRtp(buffer, length));
}

std::optional<std::size_t> SrtpSession::unprotectRtp(std::span<std::uint8_t> buffer, std::size_t length) {
  return result(context_->unprotectRtp(buffer, length));
}

std::optional<std::size_t> SrtpSession::protectRtcp(std::span<std::uint8_t> buffer, std::size_t length) {
  return result(context_->protectRtcp(buffer, length));
}

std::optional<std::size_t> SrtpSession::unprotectRtcp(std::span<std::uint8_t> buffer, std::size_t length) {
  return result(context_->unprotectRtcp(buffer, length));
}

}  // namespace aerie
