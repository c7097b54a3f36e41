#include "sfu/SdpAnswer.hpp"

#include <charconv>
#include <random>
#include <string_view>

namespace aerie {
namespace {

bool iequals(std::string_view a, std::string_view b) {
  if (a.size() != b.size()) return false;
  for (std::size_t i = 0; i < a.size(); ++i) {
    char x = a[i];
    char y = b[i];
    if (x >= 'A' && x <= 'Z') x = static_cast<char>(x - 'A' + 'a');
    if (y >= 'A' && y <= 'Z') y = static_cast<char>(y - 'A' + 'a');
    if (x != y) return false;
  }
  return true;
}

// The RTX payload type whose fmtp says apt=`pt`, 0 if none.
std::uint8_t rtxFor(const SdpMedia& m, std::uint8_t pt) {
  const std::string apt = "apt=" + std::to_string(pt);
  for (const auto& c : m.codecs) {
    if (iequals(c.name, "rtx") && c.fmtp == apt) return c.payloadType;
  }
  return 0;
}

const SdpCodec* pick(const SdpMedia& m, std::string_view name) {
  for (const auto& c : m.codecs) {
    if (iequals(c.name, name)) return &c;
  }
  return nullptr;
}

// The video codec the publisher prefers (its offer's order) among those the SFU forwards: VP8,
// VP9 and H.264 go through as they are (no transcoding), so each subscriber is offered the
// publisher's own.
const SdpCodec* pickVideo(const SdpMedia& m) {
  for (const auto& c : m.codecs) {
    if (iequals(c.name, "VP8") || iequals(c.name, "VP9") || iequals(c.name, "H264")) return &c;
  }
  return nullptr;
}

void line(std::string& out, std::string_view text) {
  out += text;
  out += "\r\n";
}

// The server's candidates: UDP, and passive TCP (RFC 6544) at a lower priority, for networks
// that let no UDP through.
void candidates(std::string& out, const LocalTransport& local) {
  out += "a=candidate:1 1 udp 2130706431 " + local.address + " " + std::to_string(local.port) +
         " typ host generation 0\r\n";
  if (local.tcpPort != 0) {
    out += "a=candidate:2 1 tcp 1518280447 " + local.address + " " + std::to_string(local.tcpPort) +
           " typ host tcptype passive generation 0\r\n";
  }
  line(out, "a=end-of-candidates");
}

void extension(std::string& out, std::uint16_t id, std::string_view uri) {
  if (id == 0) return;
  out += "a=extmap:" + std::to_string(id) + " ";
  out += uri;
  out += "\r\n";
}

void codecLines(std::string& out, const SdpCodec& c, bool video) {
  out += "a=rtpmap:" + std::to_string(c.payloadType) + " ";
  out += c.name;
  out += "/" + std::to_string(c.clockRate);
  if (c.channels > 1) out += "/" + std::to_string(c.channels);
  out += "\r\n";
  // Feedback the server acts on: NACK (and PLI, FIR) for video, transport-cc for both.
  for (auto fb : c.feedback) {
    const bool keep = fb == "transport-cc" || (video && (fb == "nack" || fb == "nack pli" || fb == "ccm fir" || fb == "goog-remb"));
    if (!keep) continue;
    out += "a=rtcp-fb:" + std::to_string(c.payloadType) + " ";
    out += fb;
    out += "\r\n";
  }
  if (!c.fmtp.empty()) {
    out += "a=fmtp:" + std::to_string(c.payloadType) + " ";
    out += c.fmtp;
    out += "\r\n";
  }
}

// A video section the client sends in layers (a=rid ... send, a=simulcast:send): the answer
// takes up to kMaxLayers of them, and the track gets one SSRC of the server's choosing.
void simulcastLayers(std::string& body, const SdpMedia& m, AcceptedMedia& a) {
  if (m.simulcast.empty()) return;
  for (const auto& rid : m.rids) {
    if (rid.send && a.rids.size() < SdpAnswer::kMaxLayers) a.rids.emplace_back(rid.id);
  }
  if (a.rids.empty()) return;
  a.ridExtension = m.extensionId(SdpAnswer::kRidUri);
  a.repairedRidExtension = m.extensionId(SdpAnswer::kRepairedRidUri);
  if (a.ridExtension == 0) {  // the layers cannot be told apart
    a.rids.clear();
    return;
  }
  extension(body, a.ridExtension, SdpAnswer::kRidUri);
  extension(body, a.repairedRidExtension, SdpAnswer::kRepairedRidUri);
  std::string list;
  for (const auto& rid : a.rids) {
    body += "a=rid:" + rid + " recv\r\n";
    list += (list.empty() ? "" : ";") + rid;
  }
  body += "a=simulcast:recv " + list + "\r\n";
  static thread_local std::mt19937 random{std::random_device{}()};
  a.ssrcs.assign(1, static_cast<std::uint32_t>(random() | 1u));
  a.rtxSsrcs.assign(1, 0);
}

// The client's media SSRCs of a section, and the RTX SSRC of each (0: none): an FID group pairs
// a media SSRC with its RTX SSRC.
void ssrcsOf(const SdpMedia& m, AcceptedMedia& a) {
  for (const auto& s : m.ssrcs) {
    bool rtx = false;
    std::uint32_t partner = 0;
    for (const auto& g : m.ssrcGroups) {
      if (g.semantics != "FID" || g.ssrcs.size() != 2) continue;
      if (g.ssrcs[1] == s.ssrc) rtx = true;
      if (g.ssrcs[0] == s.ssrc) partner = g.ssrcs[1];
    }
    if (rtx) continue;
    a.ssrcs.push_back(s.ssrc);
    a.rtxSsrcs.push_back(partner);
  }
}

}  // namespace

std::string SdpAnswer::forwardedSection(const ForwardedTrack& t, const LocalTransport* local,
                                        std::string_view setup, std::uint16_t transportCc) {
  std::string out;
  out += "m=" + t.kind + " 9 UDP/TLS/RTP/SAVPF " + std::to_string(t.payloadType) + "\r\n";
  line(out, "c=IN IP4 0.0.0.0");
  if (local != nullptr) {
    out += "a=ice-ufrag:" + local->iceUfrag + "\r\n";
    out += "a=ice-pwd:" + local->icePwd + "\r\n";
    out += "a=fingerprint:sha-256 " + local->fingerprint + "\r\n";
  }
  out += "a=setup:";
  out += setup;
  out += "\r\n";
  out += "a=mid:" + t.mid + "\r\n";
  extension(out, transportCc, kTransportCcUri);
  line(out, t.active ? "a=sendonly" : "a=inactive");
  line(out, "a=rtcp-mux");
  out += "a=rtpmap:" + std::to_string(t.payloadType) + " " + t.codecName + "/" + std::to_string(t.clockRate);
  if (t.channels > 1) out += "/" + std::to_string(t.channels);
  out += "\r\n";
  if (t.kind == "video") {
    out += "a=rtcp-fb:" + std::to_string(t.payloadType) + " nack\r\n";
    out += "a=rtcp-fb:" + std::to_string(t.payloadType) + " nack pli\r\n";
    out += "a=rtcp-fb:" + std::to_string(t.payloadType) + " ccm fir\r\n";
    if (transportCc == 0) out += "a=rtcp-fb:" + std::to_string(t.payloadType) + " goog-remb\r\n";
  }
  if (transportCc != 0) out += "a=rtcp-fb:" + std::to_string(t.payloadType) + " transport-cc\r\n";
  if (!t.fmtp.empty()) out += "a=fmtp:" + std::to_string(t.payloadType) + " " + t.fmtp + "\r\n";
  if (t.active) {
    out += "a=msid:" + t.streamId + " " + t.trackId + "\r\n";
    out += "a=ssrc:" + std::to_string(t.ssrc) + " cname:" + t.cname + "\r\n";
    out += "a=ssrc:" + std::to_string(t.ssrc) + " msid:" + t.streamId + " " + t.trackId + "\r\n";
  }
  return out;
}

std::string SdpAnswer::offer(std::string_view lastLocal, const std::vector<ForwardedTrack>& added,
                             const std::vector<ForwardedTrack>& changed) {
  // The base split into lines, then into the session part and one run of lines per section.
  std::vector<std::string_view> lines;
  for (std::string_view rest = lastLocal; !rest.empty();) {
    const auto end = rest.find('\n');
    std::string_view l = rest.substr(0, end);
    rest = end == std::string_view::npos ? std::string_view{} : rest.substr(end + 1);
    if (!l.empty() && l.back() == '\r') l.remove_suffix(1);
    if (!l.empty()) lines.push_back(l);
  }
  LocalTransport local;
  // The session's transport-wide-cc id, as the answer to the client's own offer took it (one
  // id per URI across a BUNDLE).
  std::uint16_t transportCc = 0;
  for (auto l : lines) {
    const std::string_view uri = kTransportCcUri;
    if (l.starts_with("a=extmap:") && l.size() > 10 + uri.size() && l.ends_with(uri) && l[l.size() - uri.size() - 1] == ' ') {
      const std::string_view id = l.substr(9, l.find(' ') - 9);
      std::from_chars(id.data(), id.data() + id.size(), transportCc);
    }
    if (l.starts_with("a=ice-ufrag:")) local.iceUfrag = std::string(l.substr(12));
    if (l.starts_with("a=ice-pwd:")) local.icePwd = std::string(l.substr(10));
    if (l.starts_with("a=fingerprint:sha-256 ")) local.fingerprint = std::string(l.substr(22));
  }

  std::string out;
  out.reserve(lastLocal.size() + added.size() * 400);
  std::size_t i = 0;
  for (; i < lines.size() && !lines[i].starts_with("m="); ++i) {
    const std::string_view l = lines[i];
    if (l.starts_with("a=group:BUNDLE")) {
      std::string bundle(l);
      for (const auto& t : added) bundle += " " + t.mid;
      line(out, bundle);
    } else if (l.starts_with("o=aerie ")) {
      // A new version of the session (RFC 8866 section 5.2: it goes up with each change).
      const std::string_view fields = l.substr(8);
      const std::string_view second = fields.substr(fields.find(' ') + 1);
      unsigned long version = 0;
      std::from_chars(second.data(), second.data() + second.size(), version);
      out += "o=aerie 1 " + std::to_string(version + 1) + " IN IP4 127.0.0.1\r\n";
    } else {
      line(out, l);
    }
  }
  while (i < lines.size()) {
    std::size_t end = i + 1;
    while (end < lines.size() && !lines[end].starts_with("m=")) ++end;
    std::string_view mid;
    for (std::size_t k = i; k < end; ++k) {
      if (lines[k].starts_with("a=mid:")) mid = lines[k].substr(6);
    }
    const ForwardedTrack* replacement = nullptr;
    for (const auto& t : changed) {
      if (t.mid == mid) replacement = &t;
    }
    if (replacement != nullptr) {
      out += forwardedSection(*replacement, &local, "actpass", transportCc);
    } else {
      for (std::size_t k = i; k < end; ++k) line(out, lines[k] == "a=setup:passive" ? "a=setup:actpass" : lines[k]);
    }
    i = end;
  }
  for (const auto& t : added) out += forwardedSection(t, &local, "actpass", transportCc);
  return out;
}

std::string SdpAnswer::build(const SdpDescription& offer, const LocalTransport& local,
                             std::vector<AcceptedMedia>& accepted,
                             const std::vector<ForwardedTrack>& forwarded) {
  accepted.clear();
  std::string body;
  std::vector<std::string> bundle;
  for (const auto& m : offer.media) {
    AcceptedMedia a;
    a.mid = std::string(m.mid);
    a.kind = std::string(m.kind);
    const ForwardedTrack* sending = nullptr;
    for (const auto& t : forwarded) {
      if (t.mid == m.mid) sending = &t;
    }
    if (sending != nullptr && m.port != 0) {
      bundle.push_back(a.mid);
      a.send = true;
      a.payloadType = sending->payloadType;
      a.clockRate = sending->clockRate;
      a.transportCcExtension = m.extensionId(kTransportCcUri);
      body += forwardedSection(*sending, &local, "passive", a.transportCcExtension);
      candidates(body, local);
      accepted.push_back(std::move(a));
      continue;
    }
    const bool rtp = m.kind == "audio" || m.kind == "video";
    const SdpCodec* codec = nullptr;
    if (m.kind == "audio") codec = pick(m, "opus");
    if (m.kind == "video") codec = pickVideo(m);
    const bool sctp = m.kind == "application" && m.protocol.find("SCTP") != std::string_view::npos;
    const bool usable = m.port != 0 && !m.mid.empty() && ((rtp && codec != nullptr) || sctp);
    if (!usable) {
      // Rejected: port 0, outside the BUNDLE.
      body += "m=";
      body += m.kind;
      body += " 0 ";
      body += m.protocol;
      body += rtp && !m.codecs.empty() ? " " + std::to_string(m.codecs.front().payloadType)
                                       : std::string(rtp ? " 0" : " webrtc-datachannel");
      body += "\r\nc=IN IP4 0.0.0.0\r\n";
      if (!m.mid.empty()) {
        body += "a=mid:";
        body += m.mid;
        body += "\r\n";
      }
      line(body, "a=inactive");
      accepted.push_back(std::move(a));
      continue;
    }
    bundle.push_back(a.mid);
    body += "m=";
    body += m.kind;
    body += " 9 ";
    body += m.protocol;
    if (rtp) {
      a.payloadType = codec->payloadType;
      a.clockRate = codec->clockRate;
      a.rtxPayloadType = m.kind == "video" ? rtxFor(m, codec->payloadType) : 0;
      body += " " + std::to_string(a.payloadType);
      if (a.rtxPayloadType != 0) body += " " + std::to_string(a.rtxPayloadType);
    } else {
      body += " webrtc-datachannel";
    }
    body += "\r\n";
    line(body, "c=IN IP4 0.0.0.0");
    body += "a=ice-ufrag:" + local.iceUfrag + "\r\n";
    body += "a=ice-pwd:" + local.icePwd + "\r\n";
    body += "a=fingerprint:sha-256 " + local.fingerprint + "\r\n";
    line(body, "a=setup:passive");
    body += "a=mid:" + a.mid + "\r\n";
    if (rtp) {
      a.midExtension = m.extensionId(kMidUri);
      a.transportCcExtension = m.extensionId(kTransportCcUri);
      a.absSendTimeExtension = m.extensionId(kAbsSendTimeUri);
      if (m.kind == "audio") a.audioLevelExtension = m.extensionId(kAudioLevelUri);
      extension(body, a.midExtension, kMidUri);
      extension(body, a.audioLevelExtension, kAudioLevelUri);
      extension(body, a.absSendTimeExtension, kAbsSendTimeUri);
      extension(body, a.transportCcExtension, kTransportCcUri);
      a.receive = m.direction == SdpDirection::SendRecv || m.direction == SdpDirection::SendOnly;
      a.send = m.direction == SdpDirection::SendRecv || m.direction == SdpDirection::RecvOnly;
      // The server receives now; it sends on a section only once it has media to forward (a
      // later offer of its own), so an answer never claims to send.
      line(body, a.receive ? "a=recvonly" : "a=inactive");
      line(body, "a=rtcp-mux");
      if (m.rtcpRsize) line(body, "a=rtcp-rsize");
      codecLines(body, *codec, m.kind == "video");
      if (a.rtxPayloadType != 0) {
        body += "a=rtpmap:" + std::to_string(a.rtxPayloadType) + " rtx/" + std::to_string(codec->clockRate) + "\r\n";
        body += "a=fmtp:" + std::to_string(a.rtxPayloadType) + " apt=" + std::to_string(a.payloadType) + "\r\n";
      }
      if (a.receive) ssrcsOf(m, a);
      if (a.receive && m.kind == "video") simulcastLayers(body, m, a);
    } else {
      a.dataChannels = true;
      line(body, "a=sctp-port:5000");
      body += "a=max-message-size:" + std::to_string(local.maxDataMessageBytes) + "\r\n";
    }
    candidates(body, local);
    accepted.push_back(std::move(a));
  }

  std::string out;
  out.reserve(body.size() + 256);
  line(out, "v=0");
  line(out, "o=aerie 1 2 IN IP4 127.0.0.1");
  line(out, "s=-");
  line(out, "t=0 0");
  line(out, "a=ice-lite");
  if (!bundle.empty()) {
    out += "a=group:BUNDLE";
    for (const auto& mid : bundle) out += " " + mid;
    out += "\r\n";
  }
  line(out, "a=msid-semantic: WMS *");
  out += body;
  return out;
}

}  // namespace aerie
