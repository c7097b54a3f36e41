#pragma once
// Settings of the API server (spec section 2) and of the ICE servers it hands out.
#include <cstdint>
#include <string>
#include <vector>

namespace aerie {

struct ApiConfig {
  // Signaling ports announced as httpPortList / httpsPortList; the client tries them in order.
  std::vector<std::uint16_t> httpPorts;
  std::vector<std::uint16_t> httpsPorts;
  // `ipSigserver`; empty: the Host the browser used, without port, which works behind any
  // name the server is reached by.
  std::string signalingHost;
  // Session length for requests without credentials: a day outlasts any meeting.
  double defaultDurationHours = 24;

  // ICE (spec sections 4 and 7).
  std::string iceHost = "127.0.0.1";
  // SkylinkJS 0.6.x ignores the port in the TURN entry and always uses 3478 (spec section 4).
  std::uint16_t turnPort = 3478;
  // TURN over TLS (`turns:`) for newer clients; 0: not offered (coturn runs without a cert).
  std::uint16_t turnTlsPort = 0;
  // coturn `static-auth-secret`. Empty: the TURN entry is still sent, since 0.6.x clients
  // cannot connect without one, but with a credential no server accepts.
  std::string turnSecret;
  std::uint32_t turnTtlSeconds = 86400;  // TURN REST username lifetime: one day, as coturn docs

  // Tolerated difference between the page's clock (which chose `start`) and ours.
  std::int64_t clockSkewMs = 5 * 60 * 1000;
};

}  // namespace aerie
