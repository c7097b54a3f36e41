#pragma once
// An Engine.IO WebSocket over TCP, plain (ws) or TLS (wss), without Beast and without
// coroutines: an idle connection holds one pending read and a few hundred bytes (plus, over
// TLS, its TlsEngine with no record buffers). Reads go through one buffer per thread (read until
// the kernel has no more, decrypt, parse, hand complete messages on); writes gather everything
// queued for the receiver (frame headers, payloads, control frames) into one write: one
// async_write of the pieces over plain TCP, one TLS record run encrypted at once over TLS.
// Wake-ups from other threads coalesce into one post.
//
// A connection follows its session to the Hub shard of its room: when the session is rehomed,
// the connection stops reading, lets its write finish, releases the descriptor and takes it up
// again on that shard's loop, so the peer's messages, its room and the room's other members
// share one thread.
#include <array>
#include <atomic>
#include <boost/asio/any_io_executor.hpp>
#include <boost/asio/buffer.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/steady_timer.hpp>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "codec/EngineIoCodec.hpp"
#include "engineio/EngineIoSession.hpp"
#include "engineio/SessionWaker.hpp"
#include "tls/TlsEngine.hpp"
#include "transport/ServerContext.hpp"
#include "codec/WsFrameDecoder.hpp"
#include "codec/WsFrameHeader.hpp"

namespace aerie {

class WebSocketConnection : public SessionWaker,
                       private WsFrameDecoder::Handler,
                       public std::enable_shared_from_this<WebSocketConnection> {
 public:
  // `tls`: the engine of a connection whose TLS handshake is done (wss); null for ws.
  WebSocketConnection(ServerContext& ctx, boost::asio::ip::tcp::socket socket, EioVersion v,
                      ConnectionGuard guard, std::unique_ptr<TlsEngine> tls = nullptr);

  // Writes the `101` response, then serves frames. `leftover`: bytes (plaintext) that arrived
  // after the upgrade request. `upgradeSid`: the polling session this socket probes to take over.
  void start(std::string handshakeResponse, std::string leftover,
             std::optional<std::string> upgradeSid);

  void wake() override;  // any thread

 private:
  enum class State { Open, Moving, Closed };

  bool onMessage(const WsFrameDecoder::Message& m) override;
  void armRead();
  // Where a read would be armed: arms it, or moves to the session's shard first.
  void continueReading();
  bool mustMove() const;
  void moveNow();  // no read armed, no write in flight
  void resumeOn(unsigned loop, int fd, boost::asio::ip::tcp protocol);
  void postWake();
  void onRead(const boost::system::error_code& ec, std::size_t n);
  void readMore();  // after a full small read: drain the kernel through the loop's buffer
  bool feed(char* data, std::size_t size);       // bytes off the socket
  bool feedPlain(char* data, std::size_t size);  // bytes for the frame decoder
  void flush();
  void onWritten(const boost::system::error_code& ec);
  void queueClose(std::uint16_t code, std::string_view payloadOverride = {}, bool echo = false);
  void finish();

  ServerContext& ctx_;
  boost::asio::ip::tcp::socket socket_;
  boost::asio::any_io_executor exec_;
  const EioVersion version_;
  ConnectionGuard guard_;
  WsFrameDecoder decoder_;
  std::shared_ptr<EngineIoSession> session_;
  State state_ = State::Open;
  bool probing_ = false;  // carries `2probe`/`3probe` for a polling session until `5`
  bool reading_ = true;   // false once a close frame was received or sent for an error
  bool writing_ = false;
  bool closeQueued_ = false;  // a close frame was queued (closeFrame_) or written
  bool closeReceived_ = false;
  std::atomic<bool> wakePosted_{false};
  std::atomic<unsigned> loop_;  // the loop that runs this connection now
  bool readArmed_ = false;
  bool movePending_ = false;  // waiting for the write in flight before moving

  std::array<char, 512> smallBuffer_;  // the pending read's; a typical candidate frame fits
  std::string control_;  // bytes for the next write: handshake, pongs, `3probe`, close frame
  std::string controlInFlight_;
  std::string closeFrame_;  // queued after everything else
  std::string closeInFlight_;
  std::vector<std::shared_ptr<const std::string>> inFlight_;
  std::vector<WsFrameHeader> headers_;
  std::vector<boost::asio::const_buffer> buffers_;
  std::unique_ptr<boost::asio::steady_timer> closeTimer_;  // only while closing
  std::unique_ptr<TlsEngine> tls_;  // wss only
  std::string cipherInFlight_;      // wss: the records being written
};

}  // namespace aerie
