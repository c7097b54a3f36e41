// Where the server under test listens. Loopback only: a host that is not 127.x.x.x or
// `localhost` is refused, so the generator can never send traffic off this machine.
#pragma once

#include <boost/asio/ip/address_v4.hpp>

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace loadgen {

struct LoopbackUrl {
  boost::asio::ip::address_v4 address;
  std::uint16_t port = 0;
  std::string hostHeader;  // "127.0.0.1:PORT", as Node puts it in Host

  // "http://127.0.0.1:8080", "ws://localhost:8080/", "127.0.0.2:9000"; nullopt (and `why`) when
  // malformed or not loopback.
  static std::optional<LoopbackUrl> parse(std::string_view url, std::string& why);
  // host + port from the orchestrator's init.
  static std::optional<LoopbackUrl> fromHostPort(std::string_view host, std::uint16_t port, std::string& why);
};

// 127.0.0.0/8.
bool isLoopback(const boost::asio::ip::address_v4& a);

}  // namespace loadgen
