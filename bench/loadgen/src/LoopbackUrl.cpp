#include "LoopbackUrl.hpp"

#include <charconv>

namespace loadgen {

bool isLoopback(const boost::asio::ip::address_v4& a) { return (a.to_uint() >> 24) == 127; }

std::optional<LoopbackUrl> LoopbackUrl::fromHostPort(std::string_view host, std::uint16_t port, std::string& why) {
  LoopbackUrl u;
  if (host == "localhost") {
    u.address = boost::asio::ip::make_address_v4("127.0.0.1");
  } else {
    boost::system::error_code ec;
    u.address = boost::asio::ip::make_address_v4(std::string(host), ec);
    if (ec) {
      why = "host '" + std::string(host) + "' is not an IPv4 address or localhost";
      return std::nullopt;
    }
  }
  if (!isLoopback(u.address)) {
    why = "host '" + std::string(host) + "' is not loopback (127.x.x.x or localhost): refused";
    return std::nullopt;
  }
  if (port == 0) {
    why = "no port";
    return std::nullopt;
  }
  u.port = port;
  u.hostHeader = std::string(host) + ":" + std::to_string(port);
  return u;
}

std::optional<LoopbackUrl> LoopbackUrl::parse(std::string_view url, std::string& why) {
  for (std::string_view scheme : {"http://", "ws://"}) {
    if (url.starts_with(scheme)) url.remove_prefix(scheme.size());
  }
  if (url.starts_with("https://") || url.starts_with("wss://")) {
    why = "TLS is not supported: use http:// (aerie --tls off)";
    return std::nullopt;
  }
  if (auto slash = url.find('/'); slash != std::string_view::npos) url = url.substr(0, slash);
  auto colon = url.rfind(':');
  if (colon == std::string_view::npos) {
    why = "the url needs a port: http://127.0.0.1:PORT";
    return std::nullopt;
  }
  std::string_view host = url.substr(0, colon);
  std::string_view portText = url.substr(colon + 1);
  unsigned port = 0;
  auto [end, ec] = std::from_chars(portText.data(), portText.data() + portText.size(), port);
  if (ec != std::errc{} || end != portText.data() + portText.size() || port == 0 || port > 65535) {
    why = "bad port '" + std::string(portText) + "'";
    return std::nullopt;
  }
  return fromHostPort(host, static_cast<std::uint16_t>(port), why);
}

}  // namespace loadgen
