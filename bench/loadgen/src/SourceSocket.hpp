// A TCP socket bound to one of the generator's source addresses (127.1.W.n) before it connects:
// aerie admits at most 1,000 connections per client address, and each address has its own
// ephemeral ports. The port is picked at connect time (IP_BIND_ADDRESS_NO_PORT).
#pragma once

#include <boost/asio/ip/address_v4.hpp>
#include <boost/asio/ip/tcp.hpp>

namespace loadgen {

// Opens and binds `socket`; the caller then async_connects it.
void openFrom(boost::asio::ip::tcp::socket& socket, const boost::asio::ip::address_v4& source,
              boost::system::error_code& ec);

// After connect: no Nagle delay (Node's http and ws set it too), non-blocking for direct writes.
void tuneConnected(boost::asio::ip::tcp::socket& socket, boost::system::error_code& ec);

}  // namespace loadgen
