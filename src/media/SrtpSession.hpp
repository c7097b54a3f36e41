#pragma once
// SRTP and SRTCP (RFC 3711, RFC 7714 for AES-GCM) for one transport: an outbound context keyed
// with our master key and an inbound one keyed with the peer's, both profiles on OpenSSL
// (SrtpContext; the RFC test vectors and interoperation with libsrtp2 are in the unit tests).
// Not libsrtp2: Debian's is built on NSS, whose per-packet locking and allocation cost about
// a third of the SFU's forwarding (bench/RESULTS.md, "SRTP per packet, and the bot after it").
// Packets are protected and unprotected in place, in the caller's buffer: protect needs
// rtpOverhead() / rtcpOverhead() bytes free after the packet for the tag (and the SRTCP index).
// Failures are counted and the packet dropped; nothing throws, nothing allocates per packet
// (a packet of an SSRC not seen before may). A session is not thread-safe: it lives on its
// transport's loop. Each direction keeps state for at most `maxStreams` SSRCs: packets of
// further SSRCs are dropped and counted.
#include <cstddef>
#include <cstdint>
#include <memory>
#include <optional>
#include <span>

#include "core/Limits.hpp"
#include "media/DtlsTransport.hpp"
#include "media/SrtpKeys.hpp"

namespace aerie {

class SrtpContext;

class SrtpSession {
 public:
  struct Counters {
    std::uint64_t authFailures = 0;    // tag mismatch: forged, corrupted or keyed differently
    std::uint64_t replays = 0;         // seen already, or too old for the replay window
    std::uint64_t otherFailures = 0;   // malformed, or no room for the tag
    std::uint64_t tooManyStreams = 0;  // a new SSRC beyond the limit of a direction
  };

  // Contexts for `profile`, each key being the master key followed by the master salt (as
  // SrtpKeys holds them). nullptr if the profile is None or a key has the wrong length.
  static std::unique_ptr<SrtpSession> create(SrtpProfile profile,
                                             std::span<const std::uint8_t> localKeySalt,
                                             std::span<const std::uint8_t> remoteKeySalt,
                                             std::size_t maxStreams = Limits{}.maxSrtpStreamsPerDirection);
  // The session a DTLS role implies: a client sends with the client key.
  static std::unique_ptr<SrtpSession> fromDtls(const SrtpKeys& keys, DtlsTransport::Role role,
                                               std::size_t maxStreams = Limits{}.maxSrtpStreamsPerDirection);

  ~SrtpSession();
  SrtpSession(const SrtpSession&) = delete;
  SrtpSession& operator=(const SrtpSession&) = delete;

  // The packet is buffer[0, length); the result is the new length, nullopt when it failed.
  std::optional<std::size_t> protectRtp(std::span<std::uint8_t> buffer, std::size_t length);
  std::optional<std::size_t> unprotectRtp(std::span<std::uint8_t> buffer, std::size_t length);
  std::optional<std::size_t> protectRtcp(std::span<std::uint8_t> buffer, std::size_t length);
  std::optional<std::size_t> unprotectRtcp(std::span<std::uint8_t> buffer, std::size_t length);

  SrtpProfile profile() const { return profile_; }
  std::size_t rtpOverhead() const;   // the authentication tag
  std::size_t rtcpOverhead() const;  // the tag and the 4-byte E flag and index
  const Counters& counters() const { return counters_; }

 private:
  SrtpSession(SrtpProfile profile, std::unique_ptr<SrtpContext> context);
  template <typename Result>
  std::optional<std::size_t> result(Result r);

  SrtpProfile profile_;
  std::unique_ptr<SrtpContext> context_;
  Counters counters_;
};

}  // namespace aerie
