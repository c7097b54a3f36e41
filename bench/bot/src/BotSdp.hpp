#pragma once
// The session descriptions the bot writes and reads, as SkylinkJS 2.x's one connection to the
// MCU carries them: the bot's offer (one sendrecv Opus section, one sendrecv VP8 section, each
// with its SSRC and msid, transport-cc and abs-send-time, BUNDLE, DTLS actpass; with simulcast
// the VP8 section has no SSRC but the rid extension, `a=rid:<rid> send` per layer and
// `a=simulcast:send q;h;f`, as Chromium writes it for sendEncodings with rids); what it takes
// from the server's answer (ICE-lite credentials, the host candidate, the fingerprint, the
// payload types and extension ids agreed, the layers taken); and its answers to the server's
// offers, which add a section per track the server forwards.
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "codec/SdpDescription.hpp"

namespace aerie::bot {

inline constexpr std::string_view kTransportCcUri =
    "http://www.ietf.org/id/draft-holmer-rmcat-transport-wide-cc-extensions-01";
inline constexpr std::string_view kAbsSendTimeUri = "http://www.webrtc.org/experiments/rtp-hdrext/abs-send-time";
inline constexpr std::string_view kRidUri = "urn:ietf:params:rtp-hdrext:sdes:rtp-stream-id";

struct LocalMedia {
  std::string iceUfrag;
  std::string icePwd;
  std::string fingerprint;  // "AB:CD:..." (sha-256)
  std::string streamId;     // msid stream
  std::string cname;
  std::uint32_t audioSsrc = 0;
  std::uint32_t videoSsrc = 0;  // without simulcast
  std::vector<std::string> rids;  // simulcast layers, lowest first; empty: one layer
};

// What the server's answer says about the one transport and the bot's two tracks.
struct RemoteTransport {
  std::string iceUfrag;
  std::string icePwd;
  std::string fingerprint;  // "sha-256 AB:CD:..." as DtlsTransport takes it
  std::string address;      // of the host candidate
  std::uint16_t port = 0;
  std::uint8_t audioPayloadType = 111;
  std::uint8_t videoPayloadType = 96;
  std::uint16_t transportCcExtension = 0;  // 0: not agreed
  std::uint16_t absSendTimeExtension = 0;
  std::uint16_t ridExtension = 0;
  std::vector<std::string> rids;  // the simulcast layers the answer takes (a=rid:... recv)
  bool audioAccepted = false;
  bool videoAccepted = false;
};

// A track the server offers to send the bot: another publisher's, forwarded.
struct OfferedTrack {
  std::string mid;
  std::string kind;  // "audio" or "video"
  std::uint32_t ssrc = 0;
  std::uint16_t absSendTimeExtension = 0;  // if the section names it
  bool active = false;  // sendonly with an SSRC; inactive once its publisher left
};

class BotSdp {
 public:
  static constexpr std::string_view kAudioMid = "0";
  static constexpr std::string_view kVideoMid = "1";

  static std::string offer(const LocalMedia& local);
  // nullopt (and `why`) when the answer lacks what the transport needs.
  static std::optional<RemoteTransport> readAnswer(const SdpDescription& answer, std::string& why);
  // The tracks of a server offer, other than the bot's own two sections.
  static std::vector<OfferedTrack> offeredTracks(const SdpDescription& offer);
  // The bot's answer to a server offer: its own sections keep sending (in their layers),
  // forwarded sections are received (abs-send-time accepted if offered), rejected ones stay
  // rejected.
  static std::string answer(const SdpDescription& offer, const LocalMedia& local);
};

}  // namespace aerie::bot
