#include "sfu/IceTcpLink.hpp"

#include <algorithm>
#include <boost/asio/read.hpp>
#include <boost/asio/write.hpp>

namespace aerie {

namespace asio = boost::asio;

IceTcpLink::IceTcpLink(Listener& listener, tcp::socket socket, const stun::Address& address)
    : listener_(listener), socket_(std::move(socket)), address_(address) {}

void IceTcpLink::read() {
  asio::async_read(socket_, asio::buffer(header_), [self = shared_from_this()](const boost::system::error_code& ec, std::size_t) {
    if (ec) return self->close();
    const std::size_t n = static_cast<std::size_t>(self->header_[0] << 8 | self->header_[1]);
    if (n == 0 || n > kMaxDatagram) return self->close();
    asio::async_read(self->socket_, asio::buffer(self->body_.data(), n), [self](const boost::system::error_code& ec2, std::size_t m) {
      if (ec2) return self->close();
      const bool delivered = self->listener_.onTcpPacket(std::span(self->body_.data(), m), self->address_, self->routed_);
      if (!delivered && !self->routed_) return self->close();  // not a check of ours: hang up
      self->routed_ = true;
      self->read();
    });
  });
}

void IceTcpLink::send(std::span<const std::uint8_t> datagram) {
  if (!socket_.is_open()) return;
  if (queued_ + datagram.size() + 2 > kMaxQueueBytes) {
    listener_.onTcpDropped();
    return;
  }
  std::vector<std::uint8_t> frame(datagram.size() + 2);
  frame[0] = static_cast<std::uint8_t>(datagram.size() >> 8);
  frame[1] = static_cast<std::uint8_t>(datagram.size());
  std::copy(datagram.begin(), datagram.end(), frame.begin() + 2);
  queued_ += frame.size();
  queue_.push_back(std::move(frame));
  if (queue_.size() == 1) writeNext();
}

void IceTcpLink::writeNext() {
  asio::async_write(socket_, asio::buffer(queue_.front()), [self = shared_from_this()](const boost::system::error_code& ec, std::size_t) {
    if (ec) return self->close();
    self->queued_ -= self->queue_.front().size();
    self->queue_.pop_front();
    if (!self->queue_.empty()) self->writeNext();
  });
}

void IceTcpLink::close() {
  boost::system::error_code ignored;
  socket_.close(ignored);
  listener_.onTcpClosed(*this);
}

}  // namespace aerie
