#include "SyntheticSdp.hpp"

#include <vector>

namespace loadgen {

namespace {
struct Media {
  const char* m;
  const char* fmt;
  std::vector<const char*> rtp;
};
}  // namespace

std::string syntheticSdp(std::string_view kind, unsigned long long seed) {
  std::vector<std::string> lines = {
      "v=0", "o=- " + std::to_string(4611731400430051336ull + seed) + " 2 IN IP4 127.0.0.1", "s=-", "t=0 0",
      "a=group:BUNDLE 0 1 2", "a=extmap-allow-mixed", "a=msid-semantic: WMS bench",
  };
  const std::vector<Media> media = {
      {"audio", "9 UDP/TLS/RTP/SAVPF 111 63 9 0 8 13 110 126", {"111 opus/48000/2", "63 red/48000/2", "9 G722/8000", "0 PCMU/8000", "8 PCMA/8000"}},
      {"video", "9 UDP/TLS/RTP/SAVPF 96 97 102 103 104 105 106 107",
       {"96 VP8/90000", "97 rtx/90000", "102 H264/90000", "103 rtx/90000", "104 VP9/90000", "105 rtx/90000"}},
      {"application", "9 UDP/DTLS/SCTP webrtc-datachannel", {}},
  };
  for (std::size_t i = 0; i < media.size(); ++i) {
    const Media& md = media[i];
    lines.push_back(std::string("m=") + md.m + " " + md.fmt);
    lines.push_back("c=IN IP4 0.0.0.0");
    lines.push_back("a=ice-ufrag:bEnC");
    lines.push_back("a=ice-pwd:benchbenchbenchbenchbench0");
    lines.push_back("a=ice-options:trickle");
    lines.push_back(
        "a=fingerprint:sha-256 "
        "3F:8A:1C:77:0B:5E:92:D4:11:6A:E0:3C:9B:28:47:F1:AA:02:6D:BE:45:19:C3:70:8E:D2:5B:0F:66:13:A9:E4");
    lines.push_back(std::string("a=setup:") + (kind == "offer" ? "actpass" : "active"));
    lines.push_back("a=mid:" + std::to_string(i));
    for (const char* r : md.rtp) {
      std::string_view rv(r);
      lines.push_back(std::string("a=rtpmap:") + r);
      lines.push_back("a=rtcp-fb:" + std::string(rv.substr(0, rv.find(' '))) + " nack");
    }
    if (std::string_view(md.m) != "application") {
      lines.push_back("a=sendrecv");
      lines.push_back("a=rtcp-mux");
      lines.push_back("a=ssrc:" + std::to_string(1000 + seed * 3 + i) + " cname:bench");
    } else {
      lines.push_back("a=sctp-port:5000");
      lines.push_back("a=max-message-size:262144");
    }
  }
  std::string out;
  for (const auto& l : lines) {
    out += l;
    out += "\r\n";
  }
  return out;
}

}  // namespace loadgen
