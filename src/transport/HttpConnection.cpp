// HTTP, TLS detection, Engine.IO polling and WebSocket for one TCP connection. The only
// translation unit that includes Beast's HTTP and WebSocket code.
#include <atomic>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/as_tuple.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <boost/beast/ssl.hpp>
#include <boost/beast/websocket.hpp>
#include <boost/beast/websocket/ssl.hpp>

#include "core/Clock.hpp"
#include "core/Log.hpp"
#include "engineio/QueryString.hpp"
#include "transport/PlainWebSocket.hpp"
#include "transport/ServerContext.hpp"
#include "websocket/WsHandshake.hpp"

namespace aerie {
namespace {

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace http = beast::http;
namespace websocket = beast::websocket;
using tcp = asio::ip::tcp;
using Request = http::request<http::string_body>;
using Response = http::response<http::string_body>;
constexpr auto nothrow = asio::as_tuple(asio::use_awaitable);
using std::chrono::milliseconds;

// Wakes a coroutine parked on a timer from any thread. Coalesces: one post per wake-up.
struct Wakeup : SessionWaker, std::enable_shared_from_this<Wakeup> {
  explicit Wakeup(asio::any_io_executor ex) : exec(ex), timer(ex) {}
  asio::any_io_executor exec;
  asio::steady_timer timer;
  std::atomic<bool> signaled{false};

  void wake() override {
    if (signaled.exchange(true)) return;
    asio::post(exec, [weak = weak_from_this()] {
      if (auto s = weak.lock()) s->timer.cancel();
    });
  }
  asio::awaitable<void> wait(milliseconds limit) {
    if (signaled.load()) co_return;
    timer.expires_after(limit);
    co_await timer.async_wait(nothrow);
  }
};

std::optional<EioVersion> versionOf(std::string_view target) {
  auto eio = QueryString::get(target, "EIO");
  if (!eio || *eio == "3") return EioVersion::V3;  // absent: Engine.IO 3, as SkylinkJS speaks
  if (*eio == "4") return EioVersion::V4;
  return std::nullopt;
}

Response makeResponse(const Request& req, http::status status, std::string body,
                      std::string_view contentType) {
  Response res{status, req.version()};
  res.set(http::field::server, "aerie");
  res.set(http::field::content_type, contentType);
  res.keep_alive(req.keep_alive());
  res.body() = std::move(body);
  res.prepare_payload();
  return res;
}

// socket.io's own CORS behaviour: echo the Origin and allow credentials.
void addSocketIoCors(const Request& req, Response& res) {
  auto origin = req.find(http::field::origin);
  if (origin == req.end()) return;
  res.set(http::field::access_control_allow_origin, origin->value());
  res.set(http::field::access_control_allow_credentials, "true");
  res.set(http::field::vary, "Origin");
}

Response engineIoError(const Request& req, int code, std::string_view message) {
  std::string body = "{\"code\":" + std::to_string(code) + ",\"message\":\"" +
                     std::string(message) + "\"}";
  auto res = makeResponse(req, http::status::bad_request, std::move(body), "application/json");
  addSocketIoCors(req, res);
  return res;
}

Response pollingResponse(const Request& req, EioVersion v,
                         const std::vector<std::shared_ptr<const std::string>>& packets) {
  auto res = makeResponse(req, http::status::ok, EngineIoCodec::encodePayload(v, packets),
                          "text/plain; charset=UTF-8");
  addSocketIoCors(req, res);
  return res;
}

// Watches the connection of a pending poll: a browser tab that closes must leave its room at
// once, not after the ping timeout.
struct PollWatch {
  bool readable = false;
  std::shared_ptr<Wakeup> wakeup;
  std::function<bool()> peerGone;  // readable with nothing to read: the peer sent FIN
};

// One GET or POST of Engine.IO long-polling.
asio::awaitable<Response> servePolling(ServerContext& ctx, const Request& req, EioVersion v,
                                       PollWatch& watch) {
  std::string_view target = req.target();
  if (req.method() == http::verb::options) {
    auto res = makeResponse(req, http::status::no_content, "", "text/plain");
    addSocketIoCors(req, res);
    res.set(http::field::access_control_allow_methods, "GET, POST, OPTIONS");
    auto h = req.find(http::field::access_control_request_headers);
    if (h != req.end()) res.set(http::field::access_control_allow_headers, h->value());
    co_return res;
  }
  if (QueryString::get(target, "j")) co_return engineIoError(req, 3, "JSONP polling is not supported");
  auto sid = QueryString::get(target, "sid");
  if (!sid) {
    if (req.method() != http::verb::get) co_return engineIoError(req, 2, "Bad handshake method");
    auto session = openSession(ctx, v, EngineIoSession::Transport::Polling);
    session->start(true);
    co_return pollingResponse(req, v, session->drain());
  }
  auto session = ctx.registry.find(*sid);
  if (!session || session->version() != v) co_return engineIoError(req, 1, "Session ID unknown");

  if (req.method() == http::verb::post) {
    std::vector<std::string> packets;
    if (!EngineIoCodec::decodePayload(v, req.body(), packets, 256)) {
      // As the reference server: a payload that does not parse ends the session.
      session->close();
      session->markClosed();
      co_return engineIoError(req, 3, "Bad request");
    }
    for (const auto& p : packets) {
      if (!session->receive(p, nowMs())) {
        session->close();
        break;
      }
    }
    auto res = makeResponse(req, http::status::ok, "ok", "text/html");
    addSocketIoCors(req, res);
    co_return res;
  }
  if (req.method() != http::verb::get) co_return engineIoError(req, 2, "Bad request method");
  if (session->transport() != EngineIoSession::Transport::Polling) {
    co_return pollingResponse(req, v, {std::make_shared<const std::string>("6")});
  }
  if (!session->beginPoll()) {
    // Two GETs at once break the protocol; the reference server closes the session.
    session->close();
    co_return engineIoError(req, 3, "Overlapping poll");
  }
  auto wakeup = std::make_shared<Wakeup>(co_await asio::this_coro::executor);
  session->setWaker(wakeup);
  watch.wakeup = wakeup;
  std::vector<std::shared_ptr<const std::string>> out;
  auto deadline = std::chrono::steady_clock::now() + milliseconds(ctx.limits.pingIntervalMs);
  for (;;) {
    wakeup->signaled = false;
    auto state = session->state();
    out = session->drain();
    if (state != EngineIoSession::State::Open) {
      out.push_back(std::make_shared<const std::string>("1"));
      session->markClosed();
      break;
    }
    if (!out.empty()) break;
    if (watch.readable) {
      if (watch.peerGone()) {
        // As the reference server: a poll whose connection closed ends the session.
        session->close();
        session->markClosed();
        session->endPoll();
        co_return pollingResponse(req, v, {});
      }
      out.push_back(std::make_shared<const std::string>("6"));  // pipelined data: answer now
      break;
    }
    if (session->transport() != EngineIoSession::Transport::Polling ||
        std::chrono::steady_clock::now() >= deadline) {
      out.push_back(std::make_shared<const std::string>("6"));
      break;
    }
    co_await wakeup->wait(std::chrono::duration_cast<milliseconds>(deadline - std::chrono::steady_clock::now()));
  }
  if (session->transport() == EngineIoSession::Transport::Polling) session->setWaker({});
  session->endPoll();
  co_return pollingResponse(req, v, out);
}

template <class Stream>
struct WsConnection {
  explicit WsConnection(Stream&& s) : ws(std::move(s)) {}
  websocket::stream<Stream> ws;
  std::shared_ptr<Wakeup> wakeup;
};

template <class Stream>
asio::awaitable<void> wsWriter(std::shared_ptr<WsConnection<Stream>> conn,
                               std::shared_ptr<EngineIoSession> session) {
  auto& w = *conn->wakeup;
  for (;;) {
    w.signaled = false;
    auto state = session->state();
    auto batch = session->drain();
    for (const auto& p : batch) {
      auto [ec, n] = co_await conn->ws.async_write(asio::buffer(*p), nothrow);
      if (ec) co_return;
    }
    if (state == EngineIoSession::State::Closing) {
      co_await conn->ws.async_close(websocket::close_code::normal, nothrow);
      co_return;
    }
    if (state == EngineIoSession::State::Closed) co_return;
    if (batch.empty()) co_await w.wait(milliseconds(60 * 60 * 1000));
  }
}

template <class Stream>
asio::awaitable<void> serveWebSocket(ServerContext& ctx, Stream stream, Request upgrade, EioVersion v,
                                     ConnectionGuard guard) {
  (void)guard;  // kept in this frame: the connection ends when this coroutine does
  // The upgrade request is needed for the handshake and the sid only: not for the socket's life.
  std::optional<Request> reqHolder(std::move(upgrade));
  Request& req = *reqHolder;
  auto conn = std::make_shared<WsConnection<Stream>>(std::move(stream));
  auto& ws = conn->ws;
  websocket::stream_base::timeout timeouts{};
  timeouts.handshake_timeout = milliseconds(ctx.limits.handshakeTimeoutMs);
  timeouts.idle_timeout = websocket::stream_base::none();  // Engine.IO pings cover idleness
  timeouts.keep_alive_pings = false;
  ws.set_option(timeouts);
  ws.read_message_max(ctx.limits.maxFrameBytes);
  ws.set_option(websocket::stream_base::decorator(
      [](websocket::response_type& res) { res.set(http::field::server, "aerie"); }));
  auto [aec] = co_await ws.async_accept(req, nothrow);
  if (aec) co_return;
  ws.text(true);

  auto exec = co_await asio::this_coro::executor;
  conn->wakeup = std::make_shared<Wakeup>(exec);
  std::shared_ptr<EngineIoSession> session;
  bool probing = false;
  const auto upgradeSid = QueryString::get(req.target(), "sid");
  reqHolder.reset();
  if (auto sid = upgradeSid) {
    session = ctx.registry.findUpgradable(*sid, v);
    if (!session) {
      co_await ws.async_close(websocket::close_code::policy_error, nothrow);
      co_return;
    }
    probing = true;
  } else {
    session = openSession(ctx, v, EngineIoSession::Transport::WebSocket);
    session->setWaker(conn->wakeup);
    session->start(false);
    asio::co_spawn(exec, wsWriter(conn, session), asio::detached);
  }

  beast::flat_buffer buffer;
  for (;;) {
    auto [ec, n] = co_await ws.async_read(buffer, nothrow);
    if (ec) break;
    auto data = buffer.cdata();
    std::string_view text(static_cast<const char*>(data.data()), data.size());
    if (!ws.got_text()) {
      session->close();  // Skylink sends text only
    } else if (probing) {
      // Upgrade from polling: `2probe` / `3probe`, then `5` switches transports.
      if (text == "2probe") {
        static const std::string probe = "3probe";
        auto [wec, wn] = co_await ws.async_write(asio::buffer(probe), nothrow);
        if (wec) break;
      } else if (text == "5") {
        probing = false;
        session->upgradeToWebSocket();
        session->setWaker(conn->wakeup);
        asio::co_spawn(exec, wsWriter(conn, session), asio::detached);
      }
    } else if (!session->receive(text, nowMs())) {
      session->close();  // the writer flushes and closes; the read below then fails
    }
    buffer.consume(buffer.size());
    // An idle socket keeps no large read buffer; small ones are reused, so the usual message
    // costs no allocation.
    if (buffer.capacity() > 2048) buffer.shrink_to_fit();
  }
  // A session that was only probing stays with polling.
  if (!probing) session->markClosed();
}

std::string headerValue(const Request& req, http::field f) {
  auto it = req.find(f);
  return it == req.end() ? std::string() : std::string(it->value());
}

std::string headerValue(const Request& req, std::string_view name) {
  auto it = req.find(beast::string_view(name.data(), name.size()));
  return it == req.end() ? std::string() : std::string(it->value());
}

// A Host header fit to put in a Location: a name or address and an optional port, nothing else.
bool validHostHeader(std::string_view host) {
  if (host.empty() || host.size() > 255) return false;
  for (char c : host) {
    bool ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '.' ||
              c == '-' || c == ':' || c == '[' || c == ']';
    if (!ok) return false;
  }
  return true;
}

Response toResponse(const Request& req, HttpReply reply) {
  Response res{static_cast<http::status>(reply.status), req.version()};
  res.set(http::field::server, "aerie");
  if (!reply.contentType.empty()) res.set(http::field::content_type, reply.contentType);
  for (auto& [name, value] : reply.headers) res.set(name, value);
  res.keep_alive(req.keep_alive());
  res.body() = std::move(reply.body);
  res.prepare_payload();
  return res;
}

template <class Stream>
asio::awaitable<void> serveHttp(ServerContext& ctx, Stream stream, beast::flat_buffer buffer,
                                bool secure, std::string remote, ConnectionGuard guard) {
  for (;;) {
    http::request_parser<http::string_body> parser;
    parser.header_limit(static_cast<std::uint32_t>(ctx.limits.maxHttpHeaderBytes));
    parser.body_limit(ctx.limits.maxPollBodyBytes);
    beast::get_lowest_layer(stream).expires_after(milliseconds(ctx.limits.idleHttpTimeoutMs));
    auto [ec, n] = co_await http::async_read(stream, buffer, parser, nothrow);
    if (ec) {
      if (ec == http::error::body_limit || ec == http::error::header_limit) {
        Request dummy;
        auto res = makeResponse(dummy, ec == http::error::body_limit ? http::status::payload_too_large
                                                                     : http::status::request_header_fields_too_large,
                                "{\"error\":\"request too large\"}", "application/json");
        res.keep_alive(false);
        co_await http::async_write(stream, res, nothrow);
      }
      co_return;
    }
    Request req = parser.release();
    std::string_view target = req.target();
    std::string_view path = QueryString::path(target);
    Response res;
    if (ctx.redirectToHttps && !secure) {
      // --tls-redirect: the same URL over TLS (same host and port: one port serves both).
      std::string host = headerValue(req, http::field::host);
      if (!validHostHeader(host)) {
        res = makeResponse(req, http::status::bad_request, "{\"error\":\"bad Host header\"}", "application/json");
      } else {
        res = makeResponse(req, http::status::permanent_redirect, "", "text/plain");
        res.set(http::field::location, "https://" + host + std::string(target));
      }
      res.keep_alive(false);
    } else if (path == "/socket.io/" || path == "/socket.io") {
      auto v = versionOf(target);
      if (!v) {
        res = engineIoError(req, 5, "Unsupported protocol version");
      } else if (websocket::is_upgrade(req)) {
        beast::get_lowest_layer(stream).expires_never();
        if constexpr (std::is_same_v<Stream, beast::tcp_stream>) {
          // Plain TCP: the lean connection without Beast's WebSocket stream.
          auto check = WsHandshake::check(headerValue(req, http::field::sec_websocket_version),
                                          headerValue(req, http::field::sec_websocket_key));
          if (check != WsHandshake::Result::Ok) {
            auto refusal = WsHandshake::refusal(check);
            co_await asio::async_write(stream, asio::buffer(refusal), nothrow);
            break;
          }
          auto data = buffer.cdata();
          std::string leftover(static_cast<const char*>(data.data()), data.size());
          auto upgradeSid = QueryString::get(target, "sid");
          auto conn = std::make_shared<PlainWebSocket>(ctx, stream.release_socket(), *v, std::move(guard));
          conn->start(WsHandshake::response(headerValue(req, http::field::sec_websocket_key)),
                      std::move(leftover), std::move(upgradeSid));
          co_return;
        }
        // TLS: a coroutine of its own: this frame, the HTTP parser and buffer, and the callers'
        // frames end now instead of living as long as the WebSocket.
        auto exec = co_await asio::this_coro::executor;
        asio::co_spawn(exec, serveWebSocket(ctx, std::move(stream), std::move(req), *v, std::move(guard)),
                       asio::detached);
        co_return;
      } else if (QueryString::get(target, "transport").value_or("") != "polling") {
        res = engineIoError(req, 0, "Transport unknown");
      } else {
        auto& tcpStream = beast::get_lowest_layer(stream);
        tcpStream.expires_never();  // a poll may wait pingInterval
        PollWatch watch;
        auto& socket = tcpStream.socket();
        watch.peerGone = [&socket] {
          boost::system::error_code aec;
          return socket.available(aec) == 0 || aec;
        };
        bool pendingGet = req.method() == http::verb::get && QueryString::get(target, "sid");
        if (pendingGet) {
          socket.async_wait(tcp::socket::wait_read, [&watch](boost::system::error_code ec) {
            if (ec) return;
            watch.readable = true;
            if (watch.wakeup) watch.wakeup->wake();
          });
        }
        res = co_await servePolling(ctx, req, *v, watch);
        if (pendingGet) {
          boost::system::error_code cec;
          socket.cancel(cec);
          // The wait's handler may still be queued: let it run while `watch` exists.
          co_await asio::post(co_await asio::this_coro::executor, asio::use_awaitable);
        }
        if (watch.readable && watch.peerGone()) break;
      }
    } else {
      HttpRequestView view;
      view.method = std::string(req.method_string());
      view.target = std::string(target);
      view.host = headerValue(req, http::field::host);
      if (auto it = req.find(http::field::origin); it != req.end()) view.origin = std::string(it->value());
      if (auto it = req.find(http::field::referer); it != req.end()) view.referer = std::string(it->value());
      view.accessControlRequestHeaders = headerValue(req, http::field::access_control_request_headers);
      view.authorization = headerValue(req, http::field::authorization);
      view.skylinkSdkVersion = headerValue(req, "Skylink_SDK_version");
      view.skylinkApiVersion = headerValue(req, "Skylink_API_version");
      view.serverSelect = headerValue(req, "X-Server-Select");
      view.secure = secure;
      view.remoteAddress = remote;
      view.body = std::move(req.body());
      res = toResponse(req, ctx.http.handle(view, nowMs()));
    }
    beast::get_lowest_layer(stream).expires_after(milliseconds(ctx.limits.idleHttpTimeoutMs));
    bool keepAlive = res.keep_alive();
    auto [wec, wn] = co_await http::async_write(stream, res, nothrow);
    if (wec && path.starts_with("/socket.io")) {
      // Packets of a poll response that never arrived are lost: end that session.
      if (auto sid = QueryString::get(target, "sid")) {
        if (auto s = ctx.registry.find(*sid)) s->markClosed();
      }
    }
    if (wec || !keepAlive) break;
  }
  if constexpr (std::is_same_v<Stream, beast::tcp_stream>) {
    beast::error_code ignored;
    stream.socket().shutdown(tcp::socket::shutdown_send, ignored);
  } else {
    co_await stream.async_shutdown(nothrow);
  }
}

asio::awaitable<void> detectAndServe(ServerContext& ctx, tcp::socket socket, ConnectionGuard guard) {
  boost::system::error_code rec;
  auto endpoint = socket.remote_endpoint(rec);
  std::string remote = rec ? std::string() : endpoint.address().to_string();
  beast::tcp_stream stream(std::move(socket));
  beast::flat_buffer buffer;
  stream.expires_after(milliseconds(ctx.limits.handshakeTimeoutMs));
  auto [ec, isTls] = co_await beast::async_detect_ssl(stream, buffer, nothrow);
  if (ec) co_return;
  if (isTls) {
    if (!ctx.tls) co_return;
    beast::ssl_stream<beast::tcp_stream> tls(std::move(stream), *ctx.tls);
    auto [hec, used] = co_await tls.async_handshake(asio::ssl::stream_base::server, buffer.data(), nothrow);
    if (hec) co_return;
    buffer.consume(used);
    co_await serveHttp(ctx, std::move(tls), std::move(buffer), true, std::move(remote), std::move(guard));
  } else {
    co_await serveHttp(ctx, std::move(stream), std::move(buffer), false, std::move(remote), std::move(guard));
  }
}

}  // namespace

void startConnection(ServerContext& ctx, tcp::socket socket, std::function<void()> onEnd) {
  auto exec = socket.get_executor();
  ConnectionGuard guard(nullptr, [onEnd = std::move(onEnd)](void*) {
    if (onEnd) onEnd();
  });
  asio::co_spawn(exec, detectAndServe(ctx, std::move(socket), std::move(guard)), [](std::exception_ptr e) {
    if (!e) return;
    try {
      std::rethrow_exception(e);
    } catch (const std::exception& ex) {
      log::warn("connection", std::string("connection ended by exception: ") + ex.what());
    }
  });
}

}  // namespace aerie
