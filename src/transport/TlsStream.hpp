#pragma once
// An Asio stream over TLS for Beast's HTTP reader and writer, on aerie's own TlsEngine instead
// of asio::ssl::stream: no BIO pair, no per-connection record buffers while idle. A WebSocket
// upgrade takes the socket and the engine away (release()) into WebSocketConnection.
// Transport-internal: included by HttpConnection.cpp only (Asio templates stay in one unit).
#include <boost/asio/async_result.hpp>
#include <boost/asio/compose.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/write.hpp>
#include <boost/beast/core/buffers_range.hpp>
#include <boost/beast/core/tcp_stream.hpp>
#include <boost/system/errc.hpp>
#include <memory>
#include <string>

#include "tls/TlsEngine.hpp"

namespace aerie {

class TlsStream {
 public:
  using next_layer_type = boost::beast::tcp_stream;
  using executor_type = next_layer_type::executor_type;

  TlsStream(next_layer_type&& next, std::unique_ptr<TlsEngine> engine)
      : next_(std::move(next)), engine_(std::move(engine)) {}

  executor_type get_executor() { return next_.get_executor(); }
  next_layer_type& next_layer() { return next_; }
  TlsEngine& engine() { return *engine_; }

  // Decrypted bytes that no read has taken yet (they go along with a WebSocket upgrade).
  std::string takePlain() {
    std::string rest = plain_.substr(plainPos_);
    plain_.clear();
    plainPos_ = 0;
    return rest;
  }
  std::unique_ptr<TlsEngine> releaseEngine() { return std::move(engine_); }

  template <class MutableBuffers, class Token>
  auto async_read_some(const MutableBuffers& buffers, Token&& token) {
    return boost::asio::async_compose<Token, void(boost::system::error_code, std::size_t)>(
        ReadOp<MutableBuffers>{*this, buffers}, token, next_);
  }

  template <class ConstBuffers, class Token>
  auto async_write_some(const ConstBuffers& buffers, Token&& token) {
    return boost::asio::async_compose<Token, void(boost::system::error_code, std::size_t)>(
        WriteOp<ConstBuffers>{*this, buffers}, token, next_);
  }

  // Writes what the engine has queued (handshake flights, alerts, close_notify).
  template <class Token>
  auto async_flush(Token&& token) {
    return boost::asio::async_compose<Token, void(boost::system::error_code, std::size_t)>(
        WriteOp<boost::asio::const_buffer>{*this, boost::asio::const_buffer()}, token, next_);
  }

  // The error a read or write reports when the engine failed (bad record, alert).
  static boost::system::error_code tlsError() {
    return boost::system::errc::make_error_code(boost::system::errc::protocol_error);
  }

 private:
  template <class MutableBuffers>
  struct ReadOp {
    TlsStream& s;
    MutableBuffers buffers;
    enum class Step { Start, Posted, Reading, Flushing } step = Step::Start;

    template <class Self>
    void operator()(Self& self, boost::system::error_code ec = {}, std::size_t n = 0) {
      switch (step) {
        case Step::Start:
          // Never complete inside the initiating call.
          step = Step::Posted;
          return boost::asio::post(s.get_executor(), std::move(self));
        case Step::Posted:
          break;
        case Step::Reading: {
          if (ec) return self.complete(ec, 0);
          if (s.plainPos_ == s.plain_.size()) {
            s.plain_.clear();
            s.plainPos_ = 0;
          }
          s.engine_->feed(std::string_view(s.cipherIn_.data(), n), s.plain_);
          if (!s.engine_->output().empty()) {
            // The engine answered something (an alert, a key update): it goes out first.
            step = Step::Flushing;
            s.cipherOut_.swap(s.engine_->output());
            return boost::asio::async_write(s.next_, boost::asio::buffer(s.cipherOut_),
                                            std::move(self));
          }
          break;
        }
        case Step::Flushing:
          s.cipherOut_.clear();
          if (ec) return self.complete(ec, 0);
          break;
      }
      if (s.plainPos_ < s.plain_.size()) {
        const std::size_t copied = boost::asio::buffer_copy(
            buffers, boost::asio::buffer(s.plain_.data() + s.plainPos_, s.plain_.size() - s.plainPos_));
        s.plainPos_ += copied;
        return self.complete({}, copied);
      }
      switch (s.engine_->state()) {
        case TlsEngine::State::Closed:
          return self.complete(boost::asio::error::eof, 0);
        case TlsEngine::State::Failed:
          return self.complete(tlsError(), 0);
        default:
          break;
      }
      step = Step::Reading;
      if (s.cipherIn_.size() != kCipherChunk) s.cipherIn_.resize(kCipherChunk);
      s.next_.async_read_some(boost::asio::buffer(s.cipherIn_), std::move(self));
    }
  };

  template <class ConstBuffers>
  struct WriteOp {
    TlsStream& s;
    ConstBuffers buffers;
    std::size_t plainBytes = 0;
    bool started = false;

    template <class Self>
    void operator()(Self& self, boost::system::error_code ec = {}, std::size_t = 0) {
      if (!started) {
        started = true;
        for (auto b : boost::beast::buffers_range_ref(buffers)) {
          if (b.size() == 0) continue;  // async_flush: nothing of ours, only the engine's output
          if (!s.engine_->write(std::string_view(static_cast<const char*>(b.data()), b.size()))) {
            return boost::asio::post(s.get_executor(),
                                     [self = std::move(self)]() mutable { self.complete(tlsError(), 0); });
          }
          plainBytes += b.size();
        }
        s.cipherOut_.swap(s.engine_->output());
        return boost::asio::async_write(s.next_, boost::asio::buffer(s.cipherOut_), std::move(self));
      }
      s.cipherOut_.clear();
      if (s.cipherOut_.capacity() > kCipherChunk) s.cipherOut_.shrink_to_fit();
      self.complete(ec, ec ? 0 : plainBytes);
    }
  };

  static constexpr std::size_t kCipherChunk = 4096;

  next_layer_type next_;
  std::unique_ptr<TlsEngine> engine_;
  std::string cipherIn_;
  std::string cipherOut_;
  std::string plain_;
  std::size_t plainPos_ = 0;
};

}  // namespace aerie
