#include "transport/StunListener.hpp"

#include <array>
#include <boost/asio/as_tuple.hpp>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/read.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/asio/write.hpp>
#include <cstring>

#include "core/Log.hpp"
#include "stun/StunResponder.hpp"

namespace aerie {
namespace {

namespace asio = boost::asio;
using asio::ip::tcp;
using asio::ip::udp;
constexpr auto nothrow = asio::as_tuple(asio::use_awaitable);

stun::Address toAddress(const asio::ip::address& a, std::uint16_t port) {
  stun::Address out;
  out.port = port;
  if (a.is_v4()) {
    auto b = a.to_v4().to_bytes();
    std::memcpy(out.bytes.data(), b.data(), 4);
  } else if (a.to_v6().is_v4_mapped()) {
    auto b = asio::ip::make_address_v4(asio::ip::v4_mapped, a.to_v6()).to_bytes();
    std::memcpy(out.bytes.data(), b.data(), 4);
  } else {
    out.ipv6 = true;
    auto b = a.to_v6().to_bytes();
    std::memcpy(out.bytes.data(), b.data(), 16);
  }
  return out;
}

asio::awaitable<void> serveUdp(udp::socket& socket) {
  std::array<char, 1500> buffer;
  udp::endpoint from;
  for (;;) {
    auto [ec, n] = co_await socket.async_receive_from(asio::buffer(buffer), from, nothrow);
    if (ec == asio::error::operation_aborted || !socket.is_open()) co_return;
    if (ec) continue;  // e.g. ICMP errors reported on the socket
    auto reply = stun::StunResponder::respond(std::string_view(buffer.data(), n),
                                              toAddress(from.address(), from.port()));
    if (reply) co_await socket.async_send_to(asio::buffer(*reply), from, nothrow);
  }
}

// STUN over TCP: messages back to back, each framed by its own header (RFC 8489 section 6.2.2).
asio::awaitable<void> serveTcpConnection(tcp::socket socket) {
  boost::system::error_code rec;
  auto peer = socket.remote_endpoint(rec);
  if (rec) co_return;
  asio::steady_timer idle(socket.get_executor());
  std::array<char, 1500> buffer;
  for (;;) {
    idle.expires_after(std::chrono::seconds(30));
    idle.async_wait([&socket](boost::system::error_code ec) {
      if (!ec) socket.close();  // idle or slow: close
    });
    auto [ec, n] = co_await asio::async_read(socket, asio::buffer(buffer.data(), stun::kHeaderSize), nothrow);
    if (ec) break;
    std::size_t length = (static_cast<std::uint8_t>(buffer[2]) << 8) | static_cast<std::uint8_t>(buffer[3]);
    if (!stun::StunCodec::looksLikeStun(std::string_view(buffer.data(), stun::kHeaderSize)) ||
        stun::kHeaderSize + length > buffer.size()) {
      break;
    }
    auto [ec2, m] = co_await asio::async_read(socket, asio::buffer(buffer.data() + stun::kHeaderSize, length), nothrow);
    if (ec2) break;
    auto reply = stun::StunResponder::respond(std::string_view(buffer.data(), stun::kHeaderSize + length),
                                              toAddress(peer.address(), peer.port()));
    if (reply) {
      auto [ec3, w] = co_await asio::async_write(socket, asio::buffer(*reply), nothrow);
      if (ec3) break;
    }
  }
  idle.cancel();
}

asio::awaitable<void> serveTcp(tcp::acceptor& acceptor) {
  for (;;) {
    auto [ec, socket] = co_await acceptor.async_accept(nothrow);
    if (ec == asio::error::operation_aborted || !acceptor.is_open()) co_return;
    if (ec) continue;
    asio::co_spawn(acceptor.get_executor(), serveTcpConnection(std::move(socket)), asio::detached);
  }
}

}  // namespace

StunListener::StunListener(asio::io_context& loop) : loop_(loop) {}

bool StunListener::start(const std::string& host, std::uint16_t port) {
  boost::system::error_code ec;
  auto address = asio::ip::make_address(host, ec);
  if (ec) {
    log::warn("stun", "invalid STUN address, STUN off", {{"host", host}});
    return false;
  }
  udp_ = std::make_unique<udp::socket>(loop_);
  udp_->open(address.is_v4() ? udp::v4() : udp::v6(), ec);
  if (!ec) udp_->bind(udp::endpoint(address, port), ec);
  if (ec) {
    log::warn("stun", "STUN port taken (a TURN server answers STUN there), built-in STUN off",
              {{"port", std::to_string(port)}, {"error", ec.message()}});
    udp_.reset();
    return false;
  }
  tcp_ = std::make_unique<tcp::acceptor>(loop_);
  tcp_->open(address.is_v4() ? tcp::v4() : tcp::v6(), ec);
  if (!ec) tcp_->set_option(asio::socket_base::reuse_address(true), ec);
  if (!ec) tcp_->bind(tcp::endpoint(address, port), ec);
  if (!ec) tcp_->listen(asio::socket_base::max_listen_connections, ec);
  if (ec) {
    log::warn("stun", "STUN over TCP off", {{"error", ec.message()}});
    tcp_.reset();
  } else {
    asio::co_spawn(loop_, serveTcp(*tcp_), asio::detached);
  }
  asio::co_spawn(loop_, serveUdp(*udp_), asio::detached);
  log::info("stun", "STUN server listening", {{"host", host}, {"port", std::to_string(port)}});
  return true;
}

void StunListener::stop() {
  boost::system::error_code ec;
  if (udp_) udp_->close(ec);
  if (tcp_) tcp_->close(ec);
}

}  // namespace aerie
