#include "transport/BridgeClient.hpp"

#include <boost/asio/as_tuple.hpp>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/core/tcp_stream.hpp>
#include <boost/beast/websocket/stream.hpp>
#include <boost/json/object.hpp>
#include <boost/json/serialize.hpp>
#include <chrono>
#include <deque>

#include "codec/SocketIoCodec.hpp"
#include "transport/EventLoops.hpp"
#include "transport/Server.hpp"

namespace aerie {
namespace {

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace websocket = beast::websocket;
using tcp = asio::ip::tcp;
constexpr auto nothrow = asio::as_tuple(asio::use_awaitable);

// One bridge: its own socket.io connection to the owner. Lives on one loop; every member is
// touched only there (the Hub calls send/finish on that loop too).
class Bridge : public std::enable_shared_from_this<Bridge> {
 public:
  Bridge(asio::io_context& io, const Limits& limits, BridgeTarget target,
         std::shared_ptr<PeerSink> sink)
      : ws_(io), limits_(limits), target_(std::move(target)), sink_(std::move(sink)) {}

  void start() {
    asio::co_spawn(ws_.get_executor(), [self = shared_from_this()] { return self->run(); },
                   asio::detached);
  }

  void send(std::string_view json) {
    if (finishing_ || failed_) return;
    queue(SocketIoCodec::encodeMessage(json));
  }

  // The client's socket is gone: what it sent still goes out, then the bridge closes (the owner
  // then sends the room its `bye`).
  void finish() {
    finishing_ = true;
    sink_.reset();  // the client hears nothing more
    if (!ready_ || failed_) {
      if (!ready_) cancel();
      return;
    }
    if (!writing_) shutdown();
  }

 private:
  asio::awaitable<void> run() {
    auto self = shared_from_this();
    tcp::resolver resolver(ws_.get_executor());
    auto& stream = beast::get_lowest_layer(ws_);
    stream.expires_after(std::chrono::milliseconds(limits_.bridgeConnectTimeoutMs));
    auto [rec, endpoints] =
        co_await resolver.async_resolve(target_.host, std::to_string(target_.port), nothrow);
    if (rec || cancelled_) co_return fail(false);
    auto [cec, ep] = co_await stream.async_connect(endpoints, nothrow);
    if (cec || cancelled_) co_return fail(false);
    stream.socket().set_option(tcp::no_delay(true));
    stream.expires_never();
    websocket::stream_base::timeout timeouts;
    timeouts.handshake_timeout = std::chrono::milliseconds(limits_.bridgeConnectTimeoutMs);
    // The owner pings every pingInterval (Engine.IO 4): silence for longer than a ping and its
    // timeout means it hangs or the path is gone.
    timeouts.idle_timeout =
        std::chrono::milliseconds(limits_.pingIntervalMs + limits_.pingTimeoutMs);
    timeouts.keep_alive_pings = false;
    ws_.set_option(timeouts);
    ws_.read_message_max(limits_.maxFrameBytes);
    ws_.text(true);
    const std::string host = target_.host + ":" + std::to_string(target_.port);
    auto [hec] = co_await ws_.async_handshake(host, "/socket.io/?EIO=4&transport=websocket", nothrow);
    if (hec || cancelled_) co_return fail(false);

    beast::flat_buffer buffer;
    for (;;) {
      buffer.clear();
      auto [ec, n] = co_await ws_.async_read(buffer, nothrow);
      if (ec) {
        // A close frame, or an Engine.IO/socket.io close, is the owner ending this member (a
        // kick, a refused join the client closes on); anything else is the owner gone.
        co_return fail(ec == websocket::error::closed);
      }
      const auto data = buffer.cdata();
      std::string_view frame(static_cast<const char*>(data.data()), data.size());
      if (!onFrame(frame)) co_return fail(true);
    }
  }

  // False when the owner ended the session.
  bool onFrame(std::string_view frame) {
    if (frame.empty()) return true;
    switch (frame[0]) {
      case '0':  // Engine.IO open: join the default namespace, then what waited
        if (ready_) return true;
        out_.push_front("40");
        ready_ = true;
        if (!writing_) flush();
        return true;
      case '2':  // ping
        queue("3");
        return true;
      case '1':  // close
        return false;
      case '4':
        if (frame.size() >= 2 && frame[1] == '2') {
          // An event: already the packet a client expects, passed on as it is.
          if (sink_) sink_->send(std::make_shared<const std::string>(frame));
          return true;
        }
        return !(frame.size() >= 2 && frame[1] == '1');  // 41: disconnect
      default:
        return true;
    }
  }

  void queue(std::string packet) {
    queuedBytes_ += packet.size();
    out_.push_back(std::move(packet));
    if (queuedBytes_ > limits_.maxWriteQueueBytes) {
      // The owner does not keep up (or never answered): the client rejoins rather than wait.
      fail(false);
      return;
    }
    if (ready_ && !writing_) flush();
  }

  void flush() {
    if (out_.empty() || failed_) {
      if (finishing_ && !failed_) shutdown();
      return;
    }
    writing_ = true;
    current_ = std::move(out_.front());
    out_.pop_front();
    queuedBytes_ -= std::min(queuedBytes_, current_.size());
    ws_.async_write(asio::buffer(current_),
                    [self = shared_from_this()](beast::error_code ec, std::size_t) {
                      self->writing_ = false;
                      if (ec) return self->fail(false);
                      self->flush();
                    });
  }

  void shutdown() {
    if (closed_) return;
    closed_ = true;
    ws_.async_close(websocket::close_code::normal, [self = shared_from_this()](beast::error_code) {
      beast::error_code ignored;
      beast::get_lowest_layer(self->ws_).socket().close(ignored);
    });
  }

  void cancel() {
    cancelled_ = true;
    beast::error_code ignored;
    beast::get_lowest_layer(ws_).socket().close(ignored);
  }

  // The bridge ends. `ownerClosed`: the owner ended it on purpose (its last packets, a
  // redirect, went through); otherwise it went away and the client is told to rejoin.
  void fail(bool ownerClosed) {
    if (failed_) return;
    failed_ = true;
    out_.clear();
    queuedBytes_ = 0;
    if (sink_) {
      if (!ownerClosed) {
        boost::json::object redirect;
        redirect["type"] = "redirect";
        redirect["rid"] = target_.roomKey;
        redirect["action"] = "warning";
        redirect["info"] = "The room's server is gone: rejoin.";
        redirect["reason"] = "toclose";
        sink_->send(std::make_shared<const std::string>(
            SocketIoCodec::encodeMessage(boost::json::serialize(redirect))));
      }
      sink_->close();
      sink_.reset();
    }
    cancel();
  }

  websocket::stream<beast::tcp_stream> ws_;
  const Limits& limits_;
  BridgeTarget target_;
  std::shared_ptr<PeerSink> sink_;
  std::deque<std::string> out_;
  std::size_t queuedBytes_ = 0;
  std::string current_;
  bool ready_ = false;
  bool writing_ = false;
  bool finishing_ = false;
  bool failed_ = false;
  bool closed_ = false;
  bool cancelled_ = false;
};

// The Hub's handle: finishing the bridge when the peer goes.
class BridgeHandle final : public PeerBridge {
 public:
  explicit BridgeHandle(std::shared_ptr<Bridge> bridge) : bridge_(std::move(bridge)) {}
  ~BridgeHandle() override { bridge_->finish(); }
  void send(std::string_view json) override { bridge_->send(json); }

 private:
  std::shared_ptr<Bridge> bridge_;
};

}  // namespace

std::unique_ptr<PeerBridge> BridgeClient::open(const BridgeTarget& target,
                                               std::shared_ptr<PeerSink> sink) {
  const unsigned loop = EventLoops::current();
  if (loop == EventLoops::kNone || target.port == 0) return nullptr;
  auto bridge = std::make_shared<Bridge>(server_.loop(loop), limits_, target, std::move(sink));
  bridge->start();
  return std::make_unique<BridgeHandle>(std::move(bridge));
}

}  // namespace aerie
