#pragma once
// A client's passive ICE-TCP connection (RFC 6544) on the media port number: packets framed by
// a 2-byte length (RFC 4571). The first one must be an ICE check for a transport of ours; after
// that the connection is one more address of that transport. Media over TCP is a fallback: a
// reader that falls kMaxQueueBytes behind loses packets (RTP copes with loss, not with queues).
// Shared: its reads and writes in flight keep it alive until they complete.
#include <array>
#include <boost/asio/ip/tcp.hpp>
#include <cstddef>
#include <cstdint>
#include <deque>
#include <memory>
#include <span>
#include <vector>

#include "codec/StunMessage.hpp"
#include "sfu/DatagramBuffer.hpp"

namespace aerie {

class IceTcpLink : public std::enable_shared_from_this<IceTcpLink> {
 public:
  using tcp = boost::asio::ip::tcp;

  // Most bytes waiting to be written on one connection.
  static constexpr std::size_t kMaxQueueBytes = 256 * 1024;

  // Called on the link's loop.
  class Listener {
   public:
    virtual ~Listener() = default;
    // A packet from the link's address (valid during the call; may be decrypted in place);
    // `routed`: an earlier one reached a transport. False: it went nowhere.
    virtual bool onTcpPacket(std::span<std::uint8_t> packet, const stun::Address& from, bool routed) = 0;
    // A packet not sent: the queue is full.
    virtual void onTcpDropped() = 0;
    // The link closed (close(), an error, or a first packet that was not a check of ours).
    virtual void onTcpClosed(IceTcpLink& link) = 0;
  };

  IceTcpLink(Listener& listener, tcp::socket socket, const stun::Address& address);

  // Starts reading: the first packet, then the next, until an error or close().
  void read();
  // One packet, framed, behind those waiting.
  void send(std::span<const std::uint8_t> datagram);
  void close();

  const stun::Address& address() const { return address_; }

 private:
  void writeNext();

  Listener& listener_;
  tcp::socket socket_;
  stun::Address address_;
  std::array<std::uint8_t, 2> header_{};
  DatagramBuffer body_{};
  std::deque<std::vector<std::uint8_t>> queue_;
  std::size_t queued_ = 0;
  bool routed_ = false;
};

}  // namespace aerie
