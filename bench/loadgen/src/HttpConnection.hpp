// One keep-alive HTTP/1.1 connection for the API call (GET /api/{key}/{room}), as Node's http
// agent with keepAlive uses one: a request at a time, Content-Length or chunked bodies.
#pragma once

#include "LoopbackUrl.hpp"

#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>

#include <functional>
#include <memory>
#include <string>

namespace loadgen {

class HttpConnection : public std::enable_shared_from_this<HttpConnection> {
 public:
  // error empty on success. `fresh` errors (nothing came back on a reused connection) may be retried.
  using Done = std::function<void(const std::string& error, bool retryable, int status, std::string body)>;

  HttpConnection(boost::asio::io_context& io, boost::asio::ip::address_v4 source, const LoopbackUrl& server);

  // `request` is the full request text. Connects first if needed.
  void send(std::string request, Done done);
  // Idle and the server allows another request on it.
  bool reusable() const { return state_ == State::Idle; }
  const boost::asio::ip::address_v4& source() const { return source_; }
  void close();

 private:
  enum class State { New, Connecting, Busy, Idle, Closed };

  void write();
  void read();
  // true when a whole response is in in_ (and handled); `eof`: the server has closed.
  bool tryParse(bool eof);
  void fail(const std::string& why);
  void finish(int status, std::string body, bool keepAlive);

  boost::asio::ip::tcp::socket socket_;
  boost::asio::ip::address_v4 source_;
  boost::asio::ip::tcp::endpoint server_;
  State state_ = State::New;
  bool reused_ = false;
  bool gotBytes_ = false;
  std::string out_;
  std::string in_;
  Done done_;
};

}  // namespace loadgen
