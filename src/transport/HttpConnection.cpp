// HTTP, TLS detection, Engine.IO polling and the WebSocket upgrade for one TCP connection. The
// only translation unit that includes Beast's HTTP code. TLS runs on aerie's own TlsEngine
// (TlsStream here, WebSocketConnection after an upgrade), the same for every connection.
#include <atomic>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/as_tuple.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <boost/beast/core/detect_ssl.hpp>
#include <boost/beast/websocket/rfc6455.hpp>

#include "core/Clock.hpp"
#include "core/Log.hpp"
#include "codec/QueryString.hpp"
#include "tls/TlsEngine.hpp"
#include "transport/ServerContext.hpp"
#include "transport/TlsStream.hpp"
#include "transport/WebSocketConnection.hpp"
#include "codec/WsHandshake.hpp"

namespace aerie {
namespace {

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace http = beast::http;
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

// The handler's reply, wherever it comes from: most are ready at once; the admin API's and
// /metrics' come from the Hub's loop. The connection's coroutine waits for it without holding
// its thread (post-and-complete).
asio::awaitable<HttpReply> answer(HttpHandler& handler, const HttpRequestView& view) {
  auto exec = co_await asio::this_coro::executor;
  co_return co_await asio::async_initiate<decltype(asio::use_awaitable), void(HttpReply)>(
      [&handler, &view, exec](auto completion) {
        auto shared = std::make_shared<decltype(completion)>(std::move(completion));
        handler.handleAsync(view, nowMs(), [shared, exec](HttpReply reply) {
          asio::post(exec, [shared, reply = std::move(reply)]() mutable { (*shared)(std::move(reply)); });
        });
      },
      asio::use_awaitable);
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
      } else if (beast::websocket::is_upgrade(req)) {
        beast::get_lowest_layer(stream).expires_never();
        auto check = WsHandshake::check(headerValue(req, http::field::sec_websocket_version),
                                        headerValue(req, http::field::sec_websocket_key));
        if (check != WsHandshake::Result::Ok) {
          auto refusal = WsHandshake::refusal(check);
          co_await asio::async_write(stream, asio::buffer(refusal), nothrow);
          break;
        }
        // The connection becomes a WebSocketConnection, plain or TLS alike: the bytes already
        // read past the request (and, over TLS, already decrypted) go along with the socket.
        auto data = buffer.cdata();
        std::string leftover(static_cast<const char*>(data.data()), data.size());
        std::unique_ptr<TlsEngine> engine;
        tcp::socket socket = [&] {
          if constexpr (std::is_same_v<Stream, TlsStream>) {
            leftover += stream.takePlain();
            engine = stream.releaseEngine();
            return stream.next_layer().release_socket();
          } else {
            return stream.release_socket();
          }
        }();
        auto upgradeSid = QueryString::get(target, "sid");
        auto conn = std::make_shared<WebSocketConnection>(ctx, std::move(socket), *v, std::move(guard),
                                                          std::move(engine));
        conn->start(WsHandshake::response(headerValue(req, http::field::sec_websocket_key)),
                    std::move(leftover), std::move(upgradeSid));
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
      view.range = headerValue(req, http::field::range);
      view.ifRange = req.find(http::field::if_range) != req.end();
      view.secure = secure;
      view.remoteAddress = remote;
      view.body = std::move(req.body());
      res = toResponse(req, co_await answer(ctx.http, view));
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
  if constexpr (std::is_same_v<Stream, TlsStream>) {
    stream.engine().close();
    co_await stream.async_flush(nothrow);
  }
  beast::error_code ignored;
  beast::get_lowest_layer(stream).socket().shutdown(tcp::socket::shutdown_send, ignored);
}

// Runs the server side of the handshake over `stream`, starting with the bytes TLS detection
// read. Application data that came along with the client's last flight is left in `buffer`.
asio::awaitable<bool> tlsHandshake(TlsStream& stream, beast::flat_buffer& buffer) {
  TlsEngine& engine = stream.engine();
  std::string plain;
  auto first = buffer.cdata();
  engine.feed(std::string_view(static_cast<const char*>(first.data()), first.size()), plain);
  buffer.consume(buffer.size());
  std::array<char, 4096> in;
  for (;;) {
    if (!engine.output().empty()) {
      auto [wec, wn] = co_await stream.async_flush(nothrow);
      if (wec) co_return false;
    }
    if (engine.state() == TlsEngine::State::Open) break;
    if (engine.state() != TlsEngine::State::Handshaking) co_return false;
    auto [rec, n] = co_await stream.next_layer().async_read_some(asio::buffer(in), nothrow);
    if (rec) co_return false;
    engine.feed(std::string_view(in.data(), n), plain);
  }
  auto space = buffer.prepare(plain.size());
  asio::buffer_copy(space, asio::buffer(plain));
  buffer.commit(plain.size());
  co_return true;
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
    TlsStream tls(std::move(stream), std::make_unique<TlsEngine>(*ctx.tls));
    if (!co_await tlsHandshake(tls, buffer)) co_return;
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
