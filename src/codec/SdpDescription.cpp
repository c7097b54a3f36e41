#include "codec/SdpDescription.hpp"

#include <charconv>

namespace aerie {
namespace {

template <class T>
bool number(std::string_view s, T& out) {
  if (s.empty()) return false;
  auto [end, ec] = std::from_chars(s.data(), s.data() + s.size(), out);
  return ec == std::errc() && end == s.data() + s.size();
}

// The text up to the first `sep` (all of it if there is none); `rest` gets what follows.
std::string_view token(std::string_view s, char sep, std::string_view* rest) {
  const auto at = s.find(sep);
  if (at == std::string_view::npos) {
    if (rest != nullptr) *rest = {};
    return s;
  }
  if (rest != nullptr) *rest = s.substr(at + 1);
  return s.substr(0, at);
}

// "a=name:value" → name and value (value empty for a flag such as a=rtcp-mux).
struct Attribute {
  std::string_view name;
  std::string_view value;
};

Attribute attribute(std::string_view line) {
  std::string_view value;
  std::string_view name = token(line, ':', &value);
  return {name, value};
}

// "PT rest" for rtpmap, fmtp and rtcp-fb; nullopt if PT is not a payload type.
std::optional<std::uint8_t> payloadTypeOf(std::string_view value, std::string_view* rest) {
  unsigned pt = 0;
  if (!number(token(value, ' ', rest), pt) || pt > 127) return std::nullopt;
  return static_cast<std::uint8_t>(pt);
}

SdpCodec* findCodec(SdpMedia& m, std::uint8_t pt) {
  for (auto& c : m.codecs) {
    if (c.payloadType == pt) return &c;
  }
  return nullptr;
}

SdpSsrc* findOrAddSsrc(SdpMedia& m, std::uint32_t ssrc, std::size_t max) {
  for (auto& s : m.ssrcs) {
    if (s.ssrc == ssrc) return &s;
  }
  if (m.ssrcs.size() >= max) return nullptr;
  m.ssrcs.push_back(SdpSsrc{ssrc, {}, {}});
  return &m.ssrcs.back();
}

// The m-line: "audio 9 UDP/TLS/RTP/SAVPF 111 63 ..." (formats are payload types, or "webrtc-datachannel").
bool parseMediaLine(std::string_view value, SdpMedia& m, std::size_t maxCodecs) {
  std::string_view rest;
  m.kind = token(value, ' ', &rest);
  std::string_view portText = token(rest, ' ', &rest);
  portText = token(portText, '/', nullptr);  // "9/2": a port count is not used by WebRTC
  unsigned port = 0;
  if (m.kind.empty() || !number(portText, port) || port > 65535) return false;
  m.port = static_cast<std::uint16_t>(port);
  m.protocol = token(rest, ' ', &rest);
  if (m.protocol.empty()) return false;
  const bool rtp = m.protocol.find("RTP") != std::string_view::npos;
  while (!rest.empty()) {
    std::string_view format = token(rest, ' ', &rest);
    if (format.empty()) continue;
    if (!rtp) continue;  // SCTP: "webrtc-datachannel"
    unsigned pt = 0;
    if (!number(format, pt) || pt > 127) return false;
    if (m.codecs.size() >= maxCodecs) return false;
    SdpCodec c;
    c.payloadType = static_cast<std::uint8_t>(pt);
    m.codecs.push_back(c);
  }
  return true;
}

void parseRtpmap(std::string_view value, SdpMedia& m) {
  std::string_view rest;
  auto pt = payloadTypeOf(value, &rest);
  if (!pt) return;
  SdpCodec* c = findCodec(m, *pt);
  if (c == nullptr) return;  // not in the m-line: ignored
  std::string_view params;
  c->name = token(rest, '/', &params);
  std::string_view channels;
  unsigned clock = 0;
  if (number(token(params, '/', &channels), clock)) c->clockRate = clock;
  unsigned ch = 0;
  if (number(channels, ch) && ch < 256) c->channels = static_cast<std::uint8_t>(ch);
}

void parseFmtp(std::string_view value, SdpMedia& m) {
  std::string_view rest;
  auto pt = payloadTypeOf(value, &rest);
  if (!pt) return;
  if (SdpCodec* c = findCodec(m, *pt)) c->fmtp = rest;
}

void parseRtcpFb(std::string_view value, SdpMedia& m) {
  std::string_view rest;
  if (value.starts_with("* ")) {  // for every codec
    for (auto& c : m.codecs) {
      if (c.feedback.size() < 16) c.feedback.push_back(value.substr(2));
    }
    return;
  }
  auto pt = payloadTypeOf(value, &rest);
  if (!pt || rest.empty()) return;
  SdpCodec* c = findCodec(m, *pt);
  if (c != nullptr && c->feedback.size() < 16) c->feedback.push_back(rest);
}

void parseSsrc(std::string_view value, SdpMedia& m, std::size_t maxSsrcs) {
  std::string_view rest;
  std::uint32_t ssrc = 0;
  if (!number(token(value, ' ', &rest), ssrc)) return;
  SdpSsrc* s = findOrAddSsrc(m, ssrc, maxSsrcs);
  if (s == nullptr) return;
  const Attribute a = attribute(rest);
  if (a.name == "cname") s->cname = a.value;
  else if (a.name == "msid") s->msid = a.value;
}

void parseSsrcGroup(std::string_view value, SdpMedia& m, std::size_t maxSsrcs) {
  if (m.ssrcGroups.size() >= maxSsrcs) return;
  std::string_view rest;
  SdpSsrcGroup g;
  g.semantics = token(value, ' ', &rest);
  while (!rest.empty() && g.ssrcs.size() < maxSsrcs) {
    std::uint32_t ssrc = 0;
    if (number(token(rest, ' ', &rest), ssrc)) g.ssrcs.push_back(ssrc);
  }
  if (!g.semantics.empty() && !g.ssrcs.empty()) m.ssrcGroups.push_back(std::move(g));
}

void parseFingerprint(std::string_view value, std::string_view& algorithm, std::string_view& fp) {
  std::string_view rest;
  algorithm = token(value, ' ', &rest);
  fp = rest;
}

std::optional<SdpDirection> directionOf(std::string_view name) {
  if (name == "sendrecv") return SdpDirection::SendRecv;
  if (name == "sendonly") return SdpDirection::SendOnly;
  if (name == "recvonly") return SdpDirection::RecvOnly;
  if (name == "inactive") return SdpDirection::Inactive;
  return std::nullopt;
}

void mediaAttribute(const Attribute& a, SdpMedia& m, const SdpDescription::Limits& limits) {
  if (auto d = directionOf(a.name)) {
    m.direction = *d;
  } else if (a.name == "mid") {
    m.mid = a.value;
  } else if (a.name == "ice-ufrag") {
    m.iceUfrag = a.value;
  } else if (a.name == "ice-pwd") {
    m.icePwd = a.value;
  } else if (a.name == "fingerprint") {
    parseFingerprint(a.value, m.fingerprintAlgorithm, m.fingerprint);
  } else if (a.name == "setup") {
    m.setup = a.value;
  } else if (a.name == "rtcp-mux") {
    m.rtcpMux = true;
  } else if (a.name == "rtcp-rsize") {
    m.rtcpRsize = true;
  } else if (a.name == "msid") {
    m.msid = a.value;
  } else if (a.name == "rtpmap") {
    parseRtpmap(a.value, m);
  } else if (a.name == "fmtp") {
    parseFmtp(a.value, m);
  } else if (a.name == "rtcp-fb") {
    parseRtcpFb(a.value, m);
  } else if (a.name == "extmap") {
    std::string_view rest;
    std::string_view idText = token(token(a.value, ' ', &rest), '/', nullptr);  // "2/sendonly"
    unsigned id = 0;
    if (number(idText, id) && id > 0 && id < 256 && m.extensions.size() < 32) {
      m.extensions.push_back(SdpExtension{static_cast<std::uint16_t>(id), token(rest, ' ', nullptr)});
    }
  } else if (a.name == "ssrc") {
    parseSsrc(a.value, m, limits.maxSsrcsPerMedia);
  } else if (a.name == "ssrc-group") {
    parseSsrcGroup(a.value, m, limits.maxSsrcsPerMedia);
  } else if (a.name == "rid") {
    std::string_view rest;
    SdpRid rid;
    rid.id = token(a.value, ' ', &rest);
    rid.send = token(rest, ' ', nullptr) != "recv";
    if (!rid.id.empty() && m.rids.size() < 8) m.rids.push_back(rid);
  } else if (a.name == "simulcast") {
    m.simulcast = a.value;
  } else if (a.name == "sctp-port") {
    unsigned port = 0;
    if (number(a.value, port) && port <= 65535) m.sctpPort = static_cast<std::uint16_t>(port);
  } else if (a.name == "max-message-size") {
    std::uint32_t size = 0;
    if (number(a.value, size)) m.maxMessageSize = size;
  } else if (a.name == "candidate") {
    if (m.candidates.size() < 64) m.candidates.push_back(a.value);
  }
}

void sessionAttribute(const Attribute& a, SdpDescription& d) {
  if (a.name == "ice-ufrag") {
    d.iceUfrag = a.value;
  } else if (a.name == "ice-pwd") {
    d.icePwd = a.value;
  } else if (a.name == "fingerprint") {
    parseFingerprint(a.value, d.fingerprintAlgorithm, d.fingerprint);
  } else if (a.name == "setup") {
    d.setup = a.value;
  } else if (a.name == "ice-lite") {
    d.iceLite = true;
  } else if (a.name == "group") {
    std::string_view rest;
    if (token(a.value, ' ', &rest) != "BUNDLE") return;
    while (!rest.empty() && d.bundle.size() < 64) {
      std::string_view mid = token(rest, ' ', &rest);
      if (!mid.empty()) d.bundle.push_back(mid);
    }
  }
}

}  // namespace

const char* toString(SdpDirection d) {
  switch (d) {
    case SdpDirection::SendRecv:
      return "sendrecv";
    case SdpDirection::SendOnly:
      return "sendonly";
    case SdpDirection::RecvOnly:
      return "recvonly";
    case SdpDirection::Inactive:
      return "inactive";
  }
  return "inactive";
}

const SdpCodec* SdpMedia::codec(std::uint8_t payloadType) const {
  for (const auto& c : codecs) {
    if (c.payloadType == payloadType) return &c;
  }
  return nullptr;
}

const SdpSsrc* SdpMedia::ssrc(std::uint32_t value) const {
  for (const auto& s : ssrcs) {
    if (s.ssrc == value) return &s;
  }
  return nullptr;
}

std::uint16_t SdpMedia::extensionId(std::string_view uri) const {
  for (const auto& e : extensions) {
    if (e.uri == uri) return e.id;
  }
  return 0;
}

std::optional<SdpDescription> SdpDescription::parse(std::string_view text, const Limits& limits) {
  if (text.size() > limits.maxBytes) return std::nullopt;
  SdpDescription d;
  bool first = true;
  while (!text.empty()) {
    std::string_view line = token(text, '\n', &text);
    if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
    if (line.empty()) continue;  // a trailing line end, or a blank line some writers leave
    if (line.size() < 2 || line[1] != '=' || line[0] < 'a' || line[0] > 'z') return std::nullopt;
    const char type = line[0];
    const std::string_view value = line.substr(2);
    if (first) {
      if (type != 'v' || value != "0") return std::nullopt;
      first = false;
      continue;
    }
    if (type == 'm') {
      if (d.media.size() >= limits.maxMedia) return std::nullopt;
      SdpMedia m;
      if (!parseMediaLine(value, m, limits.maxCodecsPerMedia)) return std::nullopt;
      d.media.push_back(std::move(m));
    } else if (type == 'a') {
      const Attribute a = attribute(value);
      if (d.media.empty()) sessionAttribute(a, d);
      else mediaAttribute(a, d.media.back(), limits);
    }
  }
  if (first) return std::nullopt;  // empty
  return d;
}

}  // namespace aerie
