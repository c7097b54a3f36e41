#include "api/IceServers.hpp"

#include <boost/json/object.hpp>
#include <algorithm>
#include <string>

#include "core/Crypto.hpp"

namespace aerie {

boost::json::array IceServers::build(const ApiConfig& config, std::int64_t nowMs,
                                     bool turnEnabled, std::int64_t sessionEndMs) {
  // An IPv6 literal needs brackets inside a URI (RFC 7064 section 3.1).
  const bool bareIpv6 = config.iceHost.find(':') != std::string::npos && config.iceHost[0] != '[';
  const std::string host = bareIpv6 ? "[" + config.iceHost + "]" : config.iceHost;
  const std::string port = std::to_string(config.turnPort);
  const std::int64_t expiry = std::min<std::int64_t>(nowMs / 1000 + config.turnTtlSeconds,
                                                     sessionEndMs / 1000);
  const std::string username = std::to_string(expiry);
  // A random credential rather than an empty one: coturn must refuse it, and an empty
  // string makes some browsers reject the whole configuration.
  const std::string credential =
      turnEnabled && !config.turnSecret.empty()
          ? crypto::base64Encode(crypto::hmacSha1(config.turnSecret, username))
          : crypto::randomToken(20);

  boost::json::object turn;
  // 0.6.x reads only this field and always uses port 3478 of HOST (spec section 4).
  turn["url"] = "turn:" + username + "@" + host + ":3478?transport=udp";
  boost::json::array urls{"turn:" + host + ":" + port + "?transport=udp",
                          "turn:" + host + ":" + port + "?transport=tcp"};
  if (config.turnTlsPort != 0) {
    urls.emplace_back("turns:" + host + ":" + std::to_string(config.turnTlsPort) + "?transport=tcp");
  }
  turn["urls"] = std::move(urls);
  turn["username"] = username;
  turn["credential"] = credential;

  boost::json::object stun;
  stun["url"] = "stun:" + host + ":3478";
  stun["urls"] = "stun:" + host + ":3478";

  return boost::json::array{std::move(turn), std::move(stun)};
}

}  // namespace aerie
