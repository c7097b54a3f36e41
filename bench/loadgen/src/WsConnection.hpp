// A minimal RFC 6455 client over a plain Asio TCP socket: the HTTP/1.1 upgrade (with the
// Sec-WebSocket-Accept check), masked text frames out, unmasked frames in (text, continuation,
// ping → pong, close), no extensions. As cheap per message as it can be: one async read of up to
// 2 KiB at a time into the connection's own small buffer (Asio then needs no epoll_ctl per read,
// which an async_wait costs), the rest of a burst drained into one buffer shared by the thread;
// writes go straight to the socket and queue only what the kernel did not take.
#pragma once

#include "LoopbackUrl.hpp"
#include "WsListener.hpp"

#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>

#include <cstdint>
#include <memory>
#include <string>
#include <string_view>

namespace loadgen {

class WsConnection {
 public:
  WsConnection(boost::asio::io_context& io, WsListener& listener) : socket_(io), listener_(listener) {}
  WsConnection(const WsConnection&) = delete;
  WsConnection& operator=(const WsConnection&) = delete;

  void connect(const boost::asio::ip::address_v4& source, const LoopbackUrl& server, std::string_view target);
  // Dropped unless open (as `ws` does once closing).
  void sendText(std::string_view text);
  // Close frame without a status (what ws.close() sends); the socket stays until the server
  // closes it or terminate().
  void sendClose();
  void terminate();
  bool isOpen() const { return state_ == State::Open; }
  bool isClosed() const { return state_ == State::Closed || state_ == State::New; }

 private:
  enum class State { New, Connecting, Handshake, Open, Closing, Closed };

  void appendFrame(unsigned opcode, std::string_view payload);
  void flush();
  void armRead();
  void onRead(std::size_t n);
  void feed(const char* data, std::size_t n);
  void releaseBuffers();
  // Parses what is in [data, data + n); returns how much it consumed.
  std::size_t consume(const char* data, std::size_t n);
  std::size_t consumeHandshake(const char* data, std::size_t n);
  bool handleFrame(unsigned opcode, bool fin, const char* payload, std::size_t len);
  void protocolError(std::string_view kind, std::string_view detail);
  void transportError(std::string_view kind, std::string_view detail);
  void closeSocket();

  boost::asio::ip::tcp::socket socket_;
  WsListener& listener_;
  State state_ = State::New;
  bool readArmed_ = false;
  bool writeArmed_ = false;
  bool closeSent_ = false;
  std::string out_;
  std::size_t outPos_ = 0;
  std::unique_ptr<char[]> inbuf_;  // while connected
  std::string partial_;   // bytes of an incomplete frame (or handshake reply)
  std::string fragment_;  // a fragmented text message so far
  bool fragmenting_ = false;
  std::string acceptKey_;
};

}  // namespace loadgen
