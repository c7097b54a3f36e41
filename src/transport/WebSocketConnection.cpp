#include "transport/WebSocketConnection.hpp"

#include <boost/asio/post.hpp>
#include <boost/asio/write.hpp>
#include <unistd.h>

#include "core/Clock.hpp"

namespace aerie {

namespace asio = boost::asio;
using tcp = asio::ip::tcp;

namespace {

// One read buffer per loop thread: an idle connection owns none.
constexpr std::size_t kReadBufferBytes = 64 * 1024;
// Reads per wake-up before other connections of the loop get their turn.
constexpr int kReadsPerTurn = 8;

char* threadReadBuffer() {
  static thread_local std::unique_ptr<char[]> buffer(new char[kReadBufferBytes]);
  return buffer.get();
}

// Over TLS: the plaintext of one read on its way to the decoder, and of one write on its way
// to the engine. Per thread, and each used within one call only; two, since handling what was
// read may write (a pong, `3probe`).
std::string& threadReadPlain() {
  static thread_local std::string buffer;
  buffer.clear();
  return buffer;
}

std::string& threadWritePlain() {
  static thread_local std::string buffer;
  buffer.clear();
  return buffer;
}

// A write buffer kept by an idle connection only while it is small.
void trim(std::string& s) {
  s.clear();
  if (s.capacity() > 4096) s.shrink_to_fit();
}

}  // namespace

WebSocketConnection::WebSocketConnection(ServerContext& ctx, tcp::socket socket, EioVersion v,
                                         ConnectionGuard guard, std::unique_ptr<TlsEngine> tls)
    : ctx_(ctx),
      socket_(std::move(socket)),
      exec_(socket_.get_executor()),
      version_(v),
      guard_(std::move(guard)),
      decoder_(ctx.limits.maxFrameBytes),
      loop_(EventLoops::current() == EventLoops::kNone ? 0 : EventLoops::current()),
      tls_(std::move(tls)) {}

void WebSocketConnection::start(std::string handshakeResponse, std::string leftover,
                           std::optional<std::string> upgradeSid) {
  boost::system::error_code ec;
  socket_.non_blocking(true, ec);
  control_ = std::move(handshakeResponse);
  if (upgradeSid) {
    session_ = ctx_.registry.findUpgradable(*upgradeSid, version_);
    if (session_) probing_ = true;
    else queueClose(1008);  // policy violation: nothing to upgrade
  } else {
    session_ = openSession(ctx_, version_, EngineIoSession::Transport::WebSocket);
    session_->setWaker(weak_from_this());
    session_->start(false);
  }
  flush();
  if (!leftover.empty() && !feedPlain(leftover.data(), leftover.size())) return;
  if (state_ != State::Closed && reading_) continueReading();
}

void WebSocketConnection::wake() {
  if (wakePosted_.exchange(true)) return;
  postWake();
}

void WebSocketConnection::postWake() {
  asio::post(ctx_.loops.at(loop_.load()), [self = shared_from_this()] {
    // Posted before a move: run where the connection is now.
    if (self->loop_.load() != EventLoops::current()) return self->postWake();
    if (self->state_ == State::Moving) return self->postWake();
    self->wakePosted_ = false;
    self->flush();
    // Rehomed while a read was armed (a session whose shard was not this loop's): stop the
    // read; its completion moves the connection.
    if (self->readArmed_ && self->mustMove()) {
      boost::system::error_code ec;
      self->socket_.cancel(ec);
    }
  });
}

bool WebSocketConnection::mustMove() const {
  return state_ == State::Open && reading_ && !closeQueued_ && session_ && !probing_ &&
         ctx_.loops.size() > 1 && session_->shard() != loop_.load() &&
         session_->shard() < ctx_.loops.size();
}

void WebSocketConnection::continueReading() {
  if (!mustMove()) return armRead();
  if (writing_) {
    movePending_ = true;  // onWritten moves
    return;
  }
  moveNow();
}

void WebSocketConnection::moveNow() {
  const unsigned target = session_->shard();
  boost::system::error_code ec;
  const auto protocol = socket_.local_endpoint(ec).protocol();
  int fd = -1;
  if (!ec) fd = socket_.release(ec);
  if (ec) {
    // Cannot move (the socket is failing): stay here; a relayed message then crosses threads.
    return armRead();
  }
  state_ = State::Moving;
  asio::post(ctx_.loops.at(target), [self = shared_from_this(), target, fd, protocol] {
    self->resumeOn(target, fd, protocol);
  });
  loop_.store(target);  // after the post: a wake in between goes here first, then follows
}

void WebSocketConnection::resumeOn(unsigned loop, int fd, tcp protocol) {
  socket_ = tcp::socket(ctx_.loops.at(loop));
  exec_ = socket_.get_executor();
  state_ = State::Open;
  boost::system::error_code ec;
  socket_.assign(protocol, fd, ec);
  if (!ec) socket_.non_blocking(true, ec);
  if (ec) {
    if (!socket_.is_open()) ::close(fd);
    return finish();
  }
  flush();  // what was queued while moving
  if (state_ == State::Open && reading_) continueReading();
}

void WebSocketConnection::armRead() {
  readArmed_ = true;
  // A read, not a readiness wait: Asio re-registers the descriptor with epoll (epoll_ctl, which
  // polls the socket) for every wait, while a read that follows a short one is queued without
  // any system call. The small buffer holds the usual message whole; a read that fills it
  // continues through the loop's large buffer.
  socket_.async_read_some(asio::buffer(smallBuffer_),
                          [self = shared_from_this()](const boost::system::error_code& ec,
                                                      std::size_t n) { self->onRead(ec, n); });
}

void WebSocketConnection::onRead(const boost::system::error_code& ec, std::size_t n) {
  readArmed_ = false;
  if (state_ == State::Closed || !reading_) return;
  if (ec == asio::error::operation_aborted && mustMove()) return continueReading();
  if (ec) {
    finish();  // end of stream or reset
    return;
  }
  if (!feed(smallBuffer_.data(), n) || state_ == State::Closed) return;
  if (n < smallBuffer_.size()) {
    continueReading();  // a short read: the kernel had nothing more
    return;
  }
  readMore();
}

void WebSocketConnection::readMore() {
  if (state_ == State::Closed || !reading_) return;
  char* buffer = threadReadBuffer();
  for (int round = 0; round < kReadsPerTurn; ++round) {
    boost::system::error_code rec;
    std::size_t n = socket_.read_some(asio::buffer(buffer, kReadBufferBytes), rec);
    if (rec == asio::error::would_block || rec == asio::error::try_again) break;
    if (rec) {
      finish();  // end of stream or reset
      return;
    }
    if (!feed(buffer, n) || state_ == State::Closed) return;
    // A short read took everything the kernel had; new bytes will wake the wait below.
    if (n < kReadBufferBytes) break;
    if (round + 1 == kReadsPerTurn) {
      asio::post(exec_, [self = shared_from_this()] { self->readMore(); });
      return;
    }
  }
  continueReading();
}

bool WebSocketConnection::feed(char* data, std::size_t size) {
  if (!tls_) return feedPlain(data, size);
  std::string& plain = threadReadPlain();
  const auto state = tls_->feed(std::string_view(data, size), plain);
  if (state == TlsEngine::State::Failed || state == TlsEngine::State::Closed) {
    // A bad record or the peer's close_notify: nothing more can be read.
    if (session_ && !probing_) session_->close();
    finish();
    return false;
  }
  if (!tls_->output().empty()) flush();  // the engine answered something (a key update)
  return plain.empty() ? reading_ : feedPlain(plain.data(), plain.size());
}

bool WebSocketConnection::feedPlain(char* data, std::size_t size) {
  auto status = decoder_.feed(data, size, *this);
  if (status != WsFrameDecoder::Status::Ok) {
    // Malformed, oversized or not UTF-8: close with the matching code; the peer's session ends.
    reading_ = false;
    if (session_ && !probing_) session_->close();
    queueClose(WsFrameDecoder::closeCode(status));
    flush();
    return false;
  }
  return reading_;
}

bool WebSocketConnection::onMessage(const WsFrameDecoder::Message& m) {
  using Kind = WsFrameDecoder::Kind;
  switch (m.kind) {
    case Kind::Text:
      if (!session_) return true;
      if (probing_) {
        // Upgrade from polling: `2probe` / `3probe`, then `5` switches transports.
        if (m.payload == "2probe") {
          control_ += WsFrameHeader::frame(WsFrameHeader::Text, "3probe");
          flush();
        } else if (m.payload == "5") {
          probing_ = false;
          session_->upgradeToWebSocket();
          session_->setWaker(weak_from_this());
        }
      } else if (!session_->receive(m.payload, nowMs())) {
        session_->close();  // the flush that follows sends a close frame
      }
      return true;
    case Kind::Binary:
      if (session_) session_->close();  // Skylink sends text only
      return true;
    case Kind::Ping:
      control_ += WsFrameHeader::frame(WsFrameHeader::Pong, m.payload);
      flush();
      return true;
    case Kind::Pong:
      return true;
    case Kind::Close:
      closeReceived_ = true;
      reading_ = false;
      if (closeQueued_) {
        if (!writing_) finish();  // the answer to our close: done
      } else {
        if (session_ && !probing_) session_->close();
        queueClose(0, m.payload.substr(0, 2), true);  // echo the peer's code
        flush();
      }
      return false;
  }
  return true;
}

void WebSocketConnection::queueClose(std::uint16_t code, std::string_view payloadOverride, bool echo) {
  if (closeQueued_) return;
  closeQueued_ = true;
  std::string payload = echo ? std::string(payloadOverride) : WsFrameHeader::closePayload(code);
  closeFrame_ = WsFrameHeader::frame(WsFrameHeader::Close, payload);
}

void WebSocketConnection::flush() {
  if (writing_ || state_ != State::Open) return;
  controlInFlight_.swap(control_);
  if (!controlInFlight_.empty()) buffers_.push_back(asio::buffer(controlInFlight_));
  if (session_ && !probing_ && !closeQueued_) {
    auto state = session_->state();
    session_->drainInto(inFlight_);
    if (state == EngineIoSession::State::Closed) {
      finish();
      return;
    }
    headers_.reserve(inFlight_.size());
    for (const auto& p : inFlight_) headers_.emplace_back(WsFrameHeader::Text, p->size());
    for (std::size_t i = 0; i < inFlight_.size(); ++i) {
      buffers_.push_back(asio::buffer(headers_[i].bytes()));
      buffers_.push_back(asio::buffer(*inFlight_[i]));
    }
    if (state == EngineIoSession::State::Closing) queueClose(1000);
  }
  if (closeQueued_ && !closeFrame_.empty()) {
    closeInFlight_.swap(closeFrame_);
    buffers_.push_back(asio::buffer(closeInFlight_));
  }
  if (tls_) {
    // One run of records for the whole batch: the pieces are joined, then encrypted at once.
    if (!buffers_.empty()) {
      std::string& plain = threadWritePlain();
      for (const auto& b : buffers_) plain.append(static_cast<const char*>(b.data()), b.size());
      if (!tls_->write(plain)) {
        finish();
        return;
      }
    }
    if (tls_->output().empty()) return;
    cipherInFlight_.swap(tls_->output());
    writing_ = true;
    asio::async_write(socket_, asio::buffer(cipherInFlight_),
                      [self = shared_from_this()](const boost::system::error_code& ec, std::size_t) {
                        self->onWritten(ec);
                      });
    return;
  }
  if (buffers_.empty()) return;
  writing_ = true;
  asio::async_write(socket_, buffers_,
                    [self = shared_from_this()](const boost::system::error_code& ec, std::size_t) {
                      self->onWritten(ec);
                    });
}

void WebSocketConnection::onWritten(const boost::system::error_code& ec) {
  writing_ = false;
  bool closeWritten = !closeInFlight_.empty();
  buffers_.clear();
  inFlight_.clear();
  headers_.clear();
  controlInFlight_.clear();
  closeInFlight_.clear();
  if (tls_) {
    trim(cipherInFlight_);
    if (tls_->output().empty()) trim(tls_->output());  // else: records queued meanwhile
  }
  // A burst's bookkeeping is not kept by an idle connection.
  if (buffers_.capacity() > 64) {
    buffers_.shrink_to_fit();
    inFlight_.shrink_to_fit();
    headers_.shrink_to_fit();
  }
  if (controlInFlight_.capacity() > 1024) controlInFlight_.shrink_to_fit();
  if (state_ == State::Closed) return;
  if (ec) {
    finish();
    return;
  }
  if (movePending_) {
    movePending_ = false;
    if (mustMove()) return moveNow();  // what is queued meanwhile is written on the new loop
    if (reading_) armRead();
  }
  if (closeWritten) {
    if (closeReceived_ || !reading_) {
      finish();
      return;
    }
    // Our close goes first: wait a little for the peer's answer, then drop the connection.
    boost::system::error_code sec;
    socket_.shutdown(tcp::socket::shutdown_send, sec);
    closeTimer_ = std::make_unique<asio::steady_timer>(exec_);
    closeTimer_->expires_after(std::chrono::milliseconds(ctx_.limits.handshakeTimeoutMs));
    closeTimer_->async_wait([self = shared_from_this()](const boost::system::error_code& tec) {
      if (!tec) self->finish();
    });
    return;
  }
  flush();
}

void WebSocketConnection::finish() {
  if (state_ == State::Closed) return;
  state_ = State::Closed;
  reading_ = false;
  if (closeTimer_) closeTimer_->cancel();
  boost::system::error_code ec;
  socket_.close(ec);
  // A session that was only probing stays with polling.
  if (session_ && !probing_) session_->markClosed();
}

}  // namespace aerie
