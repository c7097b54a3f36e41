#include "SourceSocket.hpp"

#include <netinet/in.h>
#include <sys/socket.h>

namespace loadgen {

void openFrom(boost::asio::ip::tcp::socket& socket, const boost::asio::ip::address_v4& source,
              boost::system::error_code& ec) {
  socket.open(boost::asio::ip::tcp::v4(), ec);
  if (ec) return;
#ifdef IP_BIND_ADDRESS_NO_PORT
  int one = 1;
  ::setsockopt(socket.native_handle(), IPPROTO_IP, IP_BIND_ADDRESS_NO_PORT, &one, sizeof one);
#endif
  socket.bind(boost::asio::ip::tcp::endpoint(source, 0), ec);
}

void tuneConnected(boost::asio::ip::tcp::socket& socket, boost::system::error_code& ec) {
  socket.set_option(boost::asio::ip::tcp::no_delay(true), ec);
  if (ec) return;
  socket.non_blocking(true, ec);
}

}  // namespace loadgen
