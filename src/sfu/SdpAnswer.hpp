#pragma once
// The media server's answer to a client's offer (JSEP): ICE-lite with one host candidate, DTLS
// as the passive side, everything in one BUNDLE on one transport. It receives what the client
// sends (Opus; VP8, VP9 or H.264, whichever the client lists first, with its RTX) and, in a
// section the client offered to receive on, sends what it forwards. Sections it cannot serve are
// rejected (port 0). The text has CRLF line ends (SkylinkJS 0.6.x rewrites MCU answers to CRLF
// anyway).
#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

#include "codec/SdpDescription.hpp"

namespace aerie {

// The server's end of one client transport.
struct LocalTransport {
  std::string iceUfrag;
  std::string icePwd;
  std::string fingerprint;  // "AB:CD:...", SHA-256 of the DTLS certificate
  std::string address;      // for the host candidate
  std::uint16_t port = 0;
  std::uint16_t tcpPort = 0;  // passive ICE-TCP (RFC 6544) on this port too; 0: none
  std::size_t maxDataMessageBytes = 64 * 1024;  // a=max-message-size (Limits::maxDataMessageBytes)
};

// What the answer accepted of one offered section.
struct AcceptedMedia {
  std::string mid;
  std::string kind;               // "audio", "video", "application"
  bool receive = false;           // the client sends media on it to the server
  bool send = false;              // the server may send media on it to the client
  bool dataChannels = false;      // an accepted SCTP section (WebRTC data channels)
  std::uint8_t payloadType = 0;   // Opus or VP8
  std::uint8_t rtxPayloadType = 0;  // 0: no RTX
  std::uint32_t clockRate = 0;
  std::vector<std::uint32_t> ssrcs;  // the client's media SSRCs (RTX SSRCs not included)
  std::vector<std::uint32_t> rtxSsrcs;  // the RTX SSRC of each of `ssrcs`, 0 where none
  std::uint16_t midExtension = 0;       // RFC 8843 sdes:mid id, 0 if not negotiated
  std::uint16_t audioLevelExtension = 0;
  std::uint16_t transportCcExtension = 0;
  std::uint16_t absSendTimeExtension = 0;
  // Simulcast (RFC 8853): the layers the client sends by rid, lowest first as offered; its
  // `ssrcs` then holds one SSRC the server chose for the track, which subscribers see.
  std::vector<std::string> rids;
  std::uint16_t ridExtension = 0;          // RFC 8852 sdes:rtp-stream-id
  std::uint16_t repairedRidExtension = 0;  // sdes:repaired-rtp-stream-id (RTX of a layer)
};

// A track the server forwards to a client on a section of its own (sendonly from the server):
// the publisher's SSRC and payload type, kept as they are.
struct ForwardedTrack {
  std::string mid;        // the section's mid in the subscriber's session
  std::string kind;       // "audio" or "video"
  std::uint32_t ssrc = 0;
  std::string cname;
  std::string streamId;   // msid: stream and track
  std::string trackId;
  std::uint8_t payloadType = 0;
  std::string codecName;  // "opus", "VP8"
  std::uint32_t clockRate = 0;
  std::uint8_t channels = 0;
  std::string fmtp;
  bool active = true;     // false: the publisher left; the section goes inactive
};

class SdpAnswer {
 public:
  static constexpr const char* kMidUri = "urn:ietf:params:rtp-hdrext:sdes:mid";
  static constexpr const char* kAudioLevelUri = "urn:ietf:params:rtp-hdrext:ssrc-audio-level";
  static constexpr const char* kTransportCcUri =
      "http://www.ietf.org/id/draft-holmer-rmcat-transport-wide-cc-extensions-01";
  static constexpr const char* kAbsSendTimeUri =
      "http://www.webrtc.org/experiments/rtp-hdrext/abs-send-time";
  static constexpr const char* kRidUri = "urn:ietf:params:rtp-hdrext:sdes:rtp-stream-id";
  static constexpr const char* kRepairedRidUri = "urn:ietf:params:rtp-hdrext:sdes:repaired-rtp-stream-id";
  // Simulcast layers the server takes from one track at most.
  static constexpr std::size_t kMaxLayers = 3;

  // The answer text, and in `accepted` one entry per offered section, in order. Sections whose
  // mid is one of `forwarded` (the client re-offering what the server sends it) are answered
  // sendonly with that track.
  static std::string build(const SdpDescription& offer, const LocalTransport& local,
                           std::vector<AcceptedMedia>& accepted,
                           const std::vector<ForwardedTrack>& forwarded = {});
  // The server's own offer to a client: its last local description (an answer or an offer it
  // made) as the base, `setup` as actpass; the sections of `changed` (by mid: a track whose
  // publisher left goes inactive) rewritten; after its sections one sendonly section for each
  // of `added`, in the BUNDLE.
  static std::string offer(std::string_view lastLocal, const std::vector<ForwardedTrack>& added,
                           const std::vector<ForwardedTrack>& changed = {});
  // The lines of a section that sends `t`, for answers and offers alike. With `transportCc`
  // (the session's transport-wide-cc extension id) the section carries that extension and
  // `rtcp-fb transport-cc`, so that the client sends feedback on what the server sends it;
  // without, a video section asks for REMB (goog-remb) instead.
  static std::string forwardedSection(const ForwardedTrack& t, const LocalTransport* local,
                                      std::string_view setup, std::uint16_t transportCc = 0);
};

}  // namespace aerie
