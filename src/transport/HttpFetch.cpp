#include "transport/HttpFetch.hpp"

#include <boost/asio/as_tuple.hpp>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/core/tcp_stream.hpp>
#include <boost/beast/http/read.hpp>
#include <boost/beast/http/string_body.hpp>
#include <boost/beast/http/write.hpp>
#include <chrono>

#include "transport/EventLoops.hpp"
#include "transport/Server.hpp"

namespace aerie {
namespace {

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace http = beast::http;
using tcp = asio::ip::tcp;
constexpr auto nothrow = asio::as_tuple(asio::use_awaitable);

asio::awaitable<HttpFetch::Result> fetch(HttpFetch::Request r, std::uint32_t timeoutMs, std::size_t maxBodyBytes) {
  HttpFetch::Result result;
  const std::string& host = r.host;
  const std::uint16_t port = r.port;
  auto executor = co_await asio::this_coro::executor;
  tcp::resolver resolver(executor);
  beast::tcp_stream stream(executor);
  stream.expires_after(std::chrono::milliseconds(timeoutMs));
  auto [rec, endpoints] = co_await resolver.async_resolve(host, std::to_string(port), nothrow);
  if (rec) {
    result.error = "cannot resolve the node's address";
    co_return result;
  }
  auto [cec, ep] = co_await stream.async_connect(endpoints, nothrow);
  if (cec) {
    result.error = cec == beast::error::timeout ? "timed out" : "cannot connect";
    co_return result;
  }
  const http::verb verb = http::string_to_verb(r.method);
  if (verb == http::verb::unknown) {
    result.error = "unknown method";
    co_return result;
  }
  http::request<http::string_body> req{verb, r.target, 11};
  req.set(http::field::host, host + ":" + std::to_string(port));
  if (!r.authorization.empty()) req.set(http::field::authorization, r.authorization);
  req.set(http::field::connection, "close");
  if (!r.body.empty()) {
    req.set(http::field::content_type, "application/json");
    req.body() = std::move(r.body);
  }
  req.prepare_payload();
  auto [wec, wn] = co_await http::async_write(stream, req, nothrow);
  if (wec) {
    result.error = wec == beast::error::timeout ? "timed out" : "connection lost";
    co_return result;
  }
  beast::flat_buffer buffer;
  http::response_parser<http::string_body> parser;
  parser.body_limit(maxBodyBytes);
  auto [ec, n] = co_await http::async_read(stream, buffer, parser, nothrow);
  if (ec) {
    result.error = ec == beast::error::timeout         ? "timed out"
                   : ec == http::error::body_limit     ? "reply too large"
                                                       : "bad or no reply";
    co_return result;
  }
  beast::error_code ignored;
  stream.socket().shutdown(tcp::socket::shutdown_both, ignored);
  result.ok = true;
  result.status = parser.get().result_int();
  result.body = std::move(parser.get().body());
  co_return result;
}

}  // namespace

void HttpFetch::get(const std::string& host, std::uint16_t port, const std::string& target,
                    const std::string& authorization, std::uint32_t timeoutMs,
                    std::size_t maxBodyBytes, Done done) {
  send(Request{"GET", host, port, target, authorization, {}}, timeoutMs, maxBodyBytes, std::move(done));
}

void HttpFetch::send(Request request, std::uint32_t timeoutMs, std::size_t maxBodyBytes, Done done) {
  const unsigned loop = EventLoops::current();
  auto& io = server_.loop(loop == EventLoops::kNone ? 0 : loop);
  asio::co_spawn(io, fetch(std::move(request), timeoutMs, maxBodyBytes),
                 [done = std::move(done)](std::exception_ptr e, Result r) {
                   if (e) {
                     r = Result{};
                     r.error = "internal error";
                   }
                   done(std::move(r));
                 });
}

}  // namespace aerie
