#pragma once
// A session description (RFC 8866) as WebRTC endpoints write it (JSEP, unified plan), parsed
// as views over the caller's text: every string_view points into it, so the text must outlive
// the description. parse() never throws; it takes LF or CRLF line ends and refuses a text that
// is not SDP or goes past the limits it is given. What the media plane needs is picked out
// (ICE and DTLS parameters, mids, directions, codecs with their feedback and fmtp, header
// extensions, SSRCs and their groups, rids and simulcast, SCTP); other lines are kept as
// attributes, and unknown ones skipped.
#include <cstddef>
#include <cstdint>
#include <optional>
#include <string_view>
#include <vector>

namespace aerie {

enum class SdpDirection { SendRecv, SendOnly, RecvOnly, Inactive };
const char* toString(SdpDirection d);

struct SdpCodec {
  std::uint8_t payloadType = 0;
  std::string_view name;  // as written: "opus", "VP8", "rtx"
  std::uint32_t clockRate = 0;
  std::uint8_t channels = 0;  // 0: not given
  std::string_view fmtp;      // the parameters after "a=fmtp:PT "
  std::vector<std::string_view> feedback;  // "nack", "nack pli", "transport-cc", ...
};

struct SdpExtension {
  std::uint16_t id = 0;
  std::string_view uri;
};

struct SdpSsrc {
  std::uint32_t ssrc = 0;
  std::string_view cname;
  std::string_view msid;  // "stream track", from a=ssrc:N msid:...
};

struct SdpSsrcGroup {
  std::string_view semantics;  // "FID", "SIM"
  std::vector<std::uint32_t> ssrcs;
};

struct SdpRid {
  std::string_view id;
  bool send = true;  // "send" or "recv"
};

struct SdpMedia {
  std::string_view kind;  // "audio", "video", "application"
  std::uint16_t port = 0;
  std::string_view protocol;
  std::string_view mid;
  SdpDirection direction = SdpDirection::SendRecv;
  std::string_view iceUfrag;
  std::string_view icePwd;
  std::string_view fingerprintAlgorithm;  // "sha-256"
  std::string_view fingerprint;           // "AB:CD:..."
  std::string_view setup;                 // "actpass", "active", "passive"
  bool rtcpMux = false;
  bool rtcpRsize = false;
  std::string_view msid;  // a=msid: "stream track"
  std::vector<SdpCodec> codecs;  // in the m-line's order of preference
  std::vector<SdpExtension> extensions;
  std::vector<SdpSsrc> ssrcs;
  std::vector<SdpSsrcGroup> ssrcGroups;
  std::vector<SdpRid> rids;
  std::string_view simulcast;  // the value of a=simulcast:
  std::uint16_t sctpPort = 0;
  std::uint32_t maxMessageSize = 0;
  std::vector<std::string_view> candidates;  // a=candidate: values

  const SdpCodec* codec(std::uint8_t payloadType) const;
  const SdpSsrc* ssrc(std::uint32_t ssrc) const;
  // The id of extension `uri`, 0 if not offered.
  std::uint16_t extensionId(std::string_view uri) const;
};

struct SdpDescription {
  struct Limits {
    std::size_t maxBytes = 64 * 1024;
    std::size_t maxMedia = 64;
    std::size_t maxCodecsPerMedia = 64;
    std::size_t maxSsrcsPerMedia = 32;
  };

  // Session-level values; a media section's own value (if any) wins over them.
  std::string_view iceUfrag;
  std::string_view icePwd;
  std::string_view fingerprintAlgorithm;
  std::string_view fingerprint;
  std::string_view setup;
  std::vector<std::string_view> bundle;  // mids of a=group:BUNDLE
  bool iceLite = false;
  std::vector<SdpMedia> media;

  // nullopt: not an SDP (no v=0 first, a line that is not `x=...`, an m-line that does not
  // parse) or over a limit.
  static std::optional<SdpDescription> parse(std::string_view text, const Limits& limits);
  static std::optional<SdpDescription> parse(std::string_view text) { return parse(text, Limits{}); }

  // ICE and DTLS parameters of `m`, with the session level as fallback.
  std::string_view ufragOf(const SdpMedia& m) const { return m.iceUfrag.empty() ? iceUfrag : m.iceUfrag; }
  std::string_view pwdOf(const SdpMedia& m) const { return m.icePwd.empty() ? icePwd : m.icePwd; }
  std::string_view fingerprintOf(const SdpMedia& m) const {
    return m.fingerprint.empty() ? fingerprint : m.fingerprint;
  }
  std::string_view fingerprintAlgorithmOf(const SdpMedia& m) const {
    return m.fingerprintAlgorithm.empty() ? fingerprintAlgorithm : m.fingerprintAlgorithm;
  }
  std::string_view setupOf(const SdpMedia& m) const { return m.setup.empty() ? setup : m.setup; }
};

}  // namespace aerie
