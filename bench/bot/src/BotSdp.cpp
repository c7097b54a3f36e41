#include "BotSdp.hpp"

#include <charconv>
#include <initializer_list>

namespace aerie::bot {

namespace {

void line(std::string& out, std::string_view text) {
  out += text;
  out += "\r\n";
}

void transportLines(std::string& out, const LocalMedia& local, std::string_view setup) {
  line(out, "c=IN IP4 0.0.0.0");
  line(out, "a=rtcp:9 IN IP4 0.0.0.0");
  out += "a=ice-ufrag:" + local.iceUfrag + "\r\n";
  out += "a=ice-pwd:" + local.icePwd + "\r\n";
  out += "a=fingerprint:sha-256 " + local.fingerprint + "\r\n";
  out += "a=setup:";
  out += setup;
  out += "\r\n";
}

void ssrcLines(std::string& out, std::uint32_t ssrc, const LocalMedia& local, std::string_view track) {
  out += "a=msid:" + local.streamId + " " + std::string(track) + "\r\n";
  out += "a=ssrc:" + std::to_string(ssrc) + " cname:" + local.cname + "\r\n";
  out += "a=ssrc:" + std::to_string(ssrc) + " msid:" + local.streamId + " " + std::string(track) + "\r\n";
}

std::string trackId(const LocalMedia& local, bool video) {
  return local.streamId + (video ? "-video" : "-audio");
}

void extmap(std::string& out, int id, std::string_view uri) {
  out += "a=extmap:" + std::to_string(id) + " ";
  out += uri;
  out += "\r\n";
}

// A video section's layers as the sender of simulcast writes them (RFC 8853).
void simulcastLines(std::string& out, const std::vector<std::string>& rids) {
  std::string list;
  for (const auto& rid : rids) {
    out += "a=rid:" + rid + " send\r\n";
    list += (list.empty() ? "" : ";") + rid;
  }
  out += "a=simulcast:send " + list + "\r\n";
}

// One section of the bot's offer: transport, mid, header extensions (Chromium's ids), sendrecv,
// the codec lines, the SSRC, or for simulcast video the msid and the layers.
void offerSection(std::string& out, const LocalMedia& local, bool video, std::initializer_list<std::string_view> codec) {
  out += video ? "m=video 9 UDP/TLS/RTP/SAVPF 96\r\n" : "m=audio 9 UDP/TLS/RTP/SAVPF 111\r\n";
  transportLines(out, local, "actpass");
  out += "a=mid:";
  out += video ? BotSdp::kVideoMid : BotSdp::kAudioMid;
  out += "\r\n";
  const bool simulcast = video && !local.rids.empty();
  extmap(out, 2, kAbsSendTimeUri);
  extmap(out, 3, kTransportCcUri);
  if (simulcast) extmap(out, 10, kRidUri);
  line(out, "a=sendrecv");
  line(out, "a=rtcp-mux");
  for (auto l : codec) line(out, l);
  if (simulcast) {
    out += "a=msid:" + local.streamId + " " + trackId(local, true) + "\r\n";
    simulcastLines(out, local.rids);
    return;
  }
  ssrcLines(out, video ? local.videoSsrc : local.audioSsrc, local, trackId(local, video));
}

// "1 1 udp 2130706431 127.0.0.1 50000 typ host ..." → address and port.
bool hostCandidate(std::string_view candidate, std::string& address, std::uint16_t& port) {
  std::vector<std::string_view> fields;
  while (!candidate.empty() && fields.size() < 8) {
    const auto space = candidate.find(' ');
    fields.push_back(candidate.substr(0, space));
    candidate = space == std::string_view::npos ? std::string_view{} : candidate.substr(space + 1);
  }
  if (fields.size() < 8 || fields[2] != "udp" || fields[6] != "typ") return false;
  unsigned p = 0;
  auto [end, ec] = std::from_chars(fields[5].data(), fields[5].data() + fields[5].size(), p);
  if (ec != std::errc() || end != fields[5].data() + fields[5].size() || p == 0 || p > 65535) return false;
  address = std::string(fields[4]);
  port = static_cast<std::uint16_t>(p);
  return true;
}

const char* reversed(SdpDirection d) {
  switch (d) {
    case SdpDirection::SendOnly:
      return "a=recvonly";
    case SdpDirection::RecvOnly:
      return "a=sendonly";
    case SdpDirection::SendRecv:
      return "a=sendrecv";
    case SdpDirection::Inactive:
      return "a=inactive";
  }
  return "a=inactive";
}

}  // namespace

std::string BotSdp::offer(const LocalMedia& local) {
  std::string out;
  out.reserve(2048);
  line(out, "v=0");
  out += "o=- " + std::to_string(local.audioSsrc) + " 2 IN IP4 127.0.0.1\r\n";
  line(out, "s=-");
  line(out, "t=0 0");
  out += "a=group:BUNDLE ";
  out += kAudioMid;
  out += " ";
  out += kVideoMid;
  out += "\r\n";
  out += "a=msid-semantic: WMS " + local.streamId + "\r\n";

  // Opus and VP8 as a browser offers them (payload types 111 and 96), both sendrecv.
  offerSection(out, local, false, {"a=rtpmap:111 opus/48000/2", "a=rtcp-fb:111 transport-cc",
                                   "a=fmtp:111 minptime=10;useinbandfec=1"});
  offerSection(out, local, true, {"a=rtcp-rsize", "a=rtpmap:96 VP8/90000", "a=rtcp-fb:96 transport-cc",
                                  "a=rtcp-fb:96 ccm fir", "a=rtcp-fb:96 nack", "a=rtcp-fb:96 nack pli"});
  return out;
}

std::optional<RemoteTransport> BotSdp::readAnswer(const SdpDescription& answer, std::string& why) {
  RemoteTransport r;
  bool haveTransport = false;
  for (const auto& m : answer.media) {
    if (m.port == 0) continue;
    if (!haveTransport) {
      r.iceUfrag = std::string(answer.ufragOf(m));
      r.icePwd = std::string(answer.pwdOf(m));
      r.fingerprint = std::string(answer.fingerprintAlgorithmOf(m)) + " " + std::string(answer.fingerprintOf(m));
      for (auto c : m.candidates) {
        if (hostCandidate(c, r.address, r.port)) {
          haveTransport = true;
          break;
        }
      }
    }
    if (m.codecs.empty()) continue;
    if (m.mid == kAudioMid) {
      r.audioAccepted = true;
      r.audioPayloadType = m.codecs.front().payloadType;
    } else if (m.mid == kVideoMid) {
      r.videoAccepted = true;
      r.videoPayloadType = m.codecs.front().payloadType;
    }
    if (r.transportCcExtension == 0) r.transportCcExtension = m.extensionId(kTransportCcUri);
    if (r.absSendTimeExtension == 0) r.absSendTimeExtension = m.extensionId(kAbsSendTimeUri);
    if (m.mid == kVideoMid) {
      r.ridExtension = m.extensionId(kRidUri);
      for (const auto& rid : m.rids) {
        if (!rid.send) r.rids.emplace_back(rid.id);  // the server receives them
      }
      if (m.simulcast.empty() || r.ridExtension == 0) r.rids.clear();
    }
  }
  if (!haveTransport) {
    why = "the answer has no usable section with a UDP host candidate";
    return std::nullopt;
  }
  if (r.iceUfrag.empty() || r.icePwd.empty() || answer.fingerprintOf(answer.media.front()).empty()) {
    why = "the answer lacks ICE credentials or a DTLS fingerprint";
    return std::nullopt;
  }
  if (!r.audioAccepted || !r.videoAccepted) {
    why = "the answer rejects the bot's audio or video";
    return std::nullopt;
  }
  return r;
}

std::vector<OfferedTrack> BotSdp::offeredTracks(const SdpDescription& offer) {
  std::vector<OfferedTrack> tracks;
  for (const auto& m : offer.media) {
    if (m.mid == kAudioMid || m.mid == kVideoMid) continue;
    if (m.kind != "audio" && m.kind != "video") continue;
    OfferedTrack t;
    t.mid = std::string(m.mid);
    t.kind = std::string(m.kind);
    t.ssrc = m.ssrcs.empty() ? 0 : m.ssrcs.front().ssrc;
    t.absSendTimeExtension = m.extensionId(kAbsSendTimeUri);
    t.active = m.port != 0 && t.ssrc != 0 &&
               (m.direction == SdpDirection::SendOnly || m.direction == SdpDirection::SendRecv);
    tracks.push_back(std::move(t));
  }
  return tracks;
}

std::string BotSdp::answer(const SdpDescription& offer, const LocalMedia& local) {
  std::string out;
  out.reserve(1024 + offer.media.size() * 400);
  line(out, "v=0");
  out += "o=- " + std::to_string(local.audioSsrc) + " 3 IN IP4 127.0.0.1\r\n";
  line(out, "s=-");
  line(out, "t=0 0");
  std::string bundle = "a=group:BUNDLE";
  for (const auto& m : offer.media) {
    if (m.port != 0) bundle += " " + std::string(m.mid);
  }
  line(out, bundle);
  out += "a=msid-semantic: WMS " + local.streamId + "\r\n";
  for (const auto& m : offer.media) {
    const std::uint8_t pt = m.codecs.empty() ? 0 : m.codecs.front().payloadType;
    out += "m=";
    out += m.kind;
    out += m.port == 0 ? " 0 " : " 9 ";
    out += m.protocol;
    out += " " + std::to_string(pt) + "\r\n";
    if (m.port == 0) {
      line(out, "c=IN IP4 0.0.0.0");
      out += "a=mid:";
      out += m.mid;
      out += "\r\n";
      line(out, "a=inactive");
      continue;
    }
    transportLines(out, local, "active");  // the bot is the DTLS client
    out += "a=mid:";
    out += m.mid;
    out += "\r\n";
    const bool own = m.mid == kAudioMid || m.mid == kVideoMid;
    // The extensions the bot knows, as offered: abs-send-time everywhere; on its own sections
    // also what it stamps there.
    for (const std::string_view uri : {kAbsSendTimeUri, kTransportCcUri, kRidUri}) {
      if (!own && uri != kAbsSendTimeUri) continue;
      if (const std::uint16_t id = m.extensionId(uri)) extmap(out, id, uri);
    }
    line(out, reversed(m.direction));
    line(out, "a=rtcp-mux");
    if (const SdpCodec* c = m.codec(pt)) {
      out += "a=rtpmap:" + std::to_string(pt) + " ";
      out += c->name;
      out += "/" + std::to_string(c->clockRate);
      if (c->channels > 1) out += "/" + std::to_string(c->channels);
      out += "\r\n";
    }
    if (own) {
      const bool video = m.mid == kVideoMid;
      if (video && !local.rids.empty()) {
        out += "a=msid:" + local.streamId + " " + trackId(local, true) + "\r\n";
        simulcastLines(out, local.rids);
      } else {
        ssrcLines(out, video ? local.videoSsrc : local.audioSsrc, local, trackId(local, video));
      }
    }
  }
  return out;
}

}  // namespace aerie::bot
