#pragma once
// aerie's built-in STUN server (RFC 8489) on UDP and TCP. Transport-internal.
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/ip/udp.hpp>
#include <memory>
#include <string>

namespace aerie {

class StunListener {
 public:
  explicit StunListener(boost::asio::io_context& loop);
  // False (and a log line) when the port is taken, e.g. by coturn beside us: STUN gives way.
  bool start(const std::string& host, std::uint16_t port);
  void stop();

 private:
  boost::asio::io_context& loop_;
  std::unique_ptr<boost::asio::ip::udp::socket> udp_;
  std::unique_ptr<boost::asio::ip::tcp::acceptor> tcp_;
};

}  // namespace aerie
