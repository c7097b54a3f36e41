#pragma once
// SRTP and SRTCP for one transport (RFC 3711; RFC 7714 for AES-GCM): our outbound transform
// and the peer's inbound one (SrtpCipher: AES-GCM or AES-CM with HMAC-SHA1), with the state
// each SSRC needs. Outbound: the rollover
// counter from sequence number wraps (a retransmission of an older number is allowed) and the
// SRTCP index. Inbound: the packet index estimated as RFC 3711 appendix A says, and replay
// windows (1,024 SRTP packets, 128 SRTCP packets). State for an SSRC is made the first time it
// is used (inbound: once a packet of it authenticates), up to a limit per direction.
#include <cstddef>
#include <cstdint>
#include <memory>
#include <span>

#include "media/SrtpCipher.hpp"
#include "media/SrtpKeys.hpp"
#include "media/SrtpReplayWindow.hpp"
#include "media/SrtpStreamTable.hpp"

namespace aerie {

class SrtpContext {
 public:
  enum class Status : std::uint8_t {
    Ok,
    AuthFailure,     // the tag did not match
    Replay,          // seen already, or older than the replay window
    TooManyStreams,  // a new SSRC beyond the limit
    Malformed,       // too short, a header longer than the packet, no room for the tag
  };
  struct Result {
    Status status;
    std::size_t length;  // the new length when Ok
  };

  // Packets reordered or retransmitted (NACK without RTX) up to this far behind the newest are
  // still accepted; libsrtp's default of 128 is short for video at high packet rates.
  static constexpr std::size_t kRtpReplayWindow = 1024;
  static constexpr std::size_t kRtcpReplayWindow = 128;

  // Keys are master key || master salt as `profile` sizes them; nullptr if a length is wrong
  // or the profile is None.
  static std::unique_ptr<SrtpContext> create(SrtpProfile profile, std::span<const std::uint8_t> localKeySalt,
                                             std::span<const std::uint8_t> remoteKeySalt, std::size_t maxStreams);
  // With ciphers keyed directly (the RFC test vectors bypass the KDF). Both of one profile.
  static std::unique_ptr<SrtpContext> fromCiphers(std::unique_ptr<SrtpCipher> outbound,
                                                  std::unique_ptr<SrtpCipher> inbound, std::size_t maxStreams);

  Result protectRtp(std::span<std::uint8_t> buffer, std::size_t length);
  Result unprotectRtp(std::span<std::uint8_t> buffer, std::size_t length);
  Result protectRtcp(std::span<std::uint8_t> buffer, std::size_t length);
  Result unprotectRtcp(std::span<std::uint8_t> buffer, std::size_t length);

  // Sets the SRTCP index the next packet of `ssrc` sends with (tests: the RFC 7714 vectors).
  bool setNextRtcpIndex(std::uint32_t ssrc, std::uint32_t index);

 private:
  struct Outbound {
    std::uint32_t ssrc = 0;
    bool started = false;
    std::uint64_t highest = 0;    // highest SRTP index sent: rollover counter << 16 | sequence
    std::uint32_t rtcpIndex = 0;  // the next SRTCP index
  };
  struct Inbound {
    std::uint32_t ssrc = 0;
    SrtpReplayWindow<kRtpReplayWindow> rtp;
    SrtpReplayWindow<kRtcpReplayWindow> rtcp;
  };

  SrtpContext(std::unique_ptr<SrtpCipher> out, std::unique_ptr<SrtpCipher> in, std::size_t maxStreams);
  Outbound* outbound(std::uint32_t ssrc);

  std::unique_ptr<SrtpCipher> out_;
  std::unique_ptr<SrtpCipher> in_;
  SrtpStreamTable<Outbound> sent_;
  SrtpStreamTable<Inbound> received_;
};

}  // namespace aerie
