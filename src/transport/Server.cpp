#include "transport/Server.hpp"

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/executor_work_guard.hpp>
#include <boost/asio/as_tuple.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/signal_set.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <stdexcept>
#include <thread>

#include "core/Clock.hpp"
#include "core/Log.hpp"
#include "hub/Hub.hpp"
#include "transport/ConnectionLimiter.hpp"
#include "transport/HubGateway.hpp"
#include "transport/ServerContext.hpp"
#include "transport/StunListener.hpp"

namespace aerie {

namespace asio = boost::asio;
using tcp = asio::ip::tcp;
constexpr auto nothrow = asio::as_tuple(asio::use_awaitable);

struct Server::Impl {
  Impl(ServerOptions o, const Limits& l, Hub& h, HttpHandler& http)
      : options(std::move(o)), limits(l), hub(h) {
    unsigned n = options.threads == 0 ? 1 : options.threads;
    for (unsigned i = 0; i < n; ++i) {
      loops.push_back(std::make_unique<asio::io_context>(1));
      guards.emplace_back(loops.back()->get_executor());
    }
    hubPort = std::make_unique<HubPort>(hub, loops[0]->get_executor(), registry);
    if (!options.certFile.empty()) tls = std::make_unique<TlsContext>(options.certFile, options.keyFile);
    context = std::make_unique<ServerContext>(
        ServerContext{limits, http, registry, *hubPort, tls.get(), tls && options.redirectToHttps});
  }

  asio::awaitable<void> acceptLoop() {
    std::size_t next = 0;
    boost::system::error_code nbec;
    acceptor->non_blocking(true, nbec);
    while (acceptor && acceptor->is_open()) {
      // One wake-up of the listening socket may stand for many queued connections: take them
      // all now. Awaiting async_accept once per connection took one per turn of this loop,
      // which is also the Hub's, and the kernel's accept queue overflowed under load.
      auto [wec] = co_await acceptor->async_wait(tcp::acceptor::wait_read, nothrow);
      if (wec) {
        if (wec == asio::error::operation_aborted) co_return;
        continue;
      }
      bool failed = false;
      for (int burst = 0; burst < 512; ++burst) {
        tcp::socket socket(*loops[next % loops.size()]);
        boost::system::error_code ec;
        acceptor->accept(socket, ec);
        if (ec == asio::error::would_block || ec == asio::error::try_again) break;
        if (ec) {
          log::warn("server", "accept failed", {{"error", ec.message()}});
          failed = true;  // e.g. too many open files: keep serving the connections we have
          break;
        }
        ++next;
        admit(std::move(socket));
      }
      if (failed) {
        // The listening socket stays readable while the cause lasts: do not spin on it.
        asio::steady_timer pause(*loops[0], std::chrono::milliseconds(100));
        co_await pause.async_wait(nothrow);
      }
    }
  }

  void admit(tcp::socket socket) {
    boost::system::error_code rec;
    auto remote = socket.remote_endpoint(rec);
    if (rec) return;
    auto address = remote.address();
    if (address.is_v6() && address.to_v6().is_v4_mapped()) {
      address = asio::ip::make_address_v4(asio::ip::v4_mapped, address.to_v6());
    }
    // Exactly 127.0.0.1 and ::1, where a local reverse proxy connects from.
    bool loopback = address == asio::ip::address_v4::loopback() ||
                    address == asio::ip::address_v6::loopback();
    std::string key = address.to_string();
    if (!limiter.tryAcquire(key, loopback)) {
      // Over the per-address limit: refuse at once, before any byte is read.
      boost::system::error_code ignored;
      socket.close(ignored);
      return;
    }
    socket.set_option(tcp::no_delay(true));
    startConnection(*context, std::move(socket), [this, key, loopback] { limiter.release(key, loopback); });
  }

  asio::awaitable<void> sweepLoop() {
    asio::steady_timer timer(*loops[0]);
    while (!stopping) {
      timer.expires_after(std::chrono::seconds(1));
      co_await timer.async_wait(nothrow);
      auto now = nowMs();
      for (const auto& s : registry.snapshot()) {
        if (s->checkTimers(now)) continue;
        // Ping timeout: a WebSocket writer closes its socket; a polling session has none.
        if (s->transport() == EngineIoSession::Transport::Polling) s->markClosed();
        else s->close();
      }
      hub.tick(now);  // we are on the Hub's loop
    }
  }

  void shutdown() {
    if (stopping.exchange(true)) return;
    log::info("server", "shutting down: telling peers, draining for 1 s");
    asio::post(*loops[0], [this] {
      hub.shutdown();
      if (acceptor) acceptor->close();
      if (stun) stun->stop();
    });
    auto timer = std::make_shared<asio::steady_timer>(*loops[0], std::chrono::seconds(1));
    timer->async_wait([this, timer](auto) { stopLoops(); });
  }

  void stopLoops() {
    guards.clear();
    for (auto& l : loops) l->stop();
  }

  ServerOptions options;
  const Limits& limits;
  Hub& hub;
  std::vector<std::unique_ptr<asio::io_context>> loops;
  std::vector<asio::executor_work_guard<asio::io_context::executor_type>> guards;
  SessionRegistry registry;
  std::unique_ptr<HubPort> hubPort;
  std::unique_ptr<TlsContext> tls;
  std::unique_ptr<ServerContext> context;
  std::optional<tcp::acceptor> acceptor;
  std::unique_ptr<StunListener> stun;
  std::atomic<bool> stopping{false};
  ConnectionLimiter limiter{limits.maxConnectionsPerIp};
};

Server::Server(ServerOptions options, const Limits& limits, Hub& hub, HttpHandler& http,
               HubGateway& gateway)
    : impl_(std::make_unique<Impl>(std::move(options), limits, hub, http)) {
  auto* loop = impl_->loops[0].get();
  gateway.bind([loop](std::function<void()> fn) { asio::post(*loop, std::move(fn)); },
               [loop] { return loop->get_executor().running_in_this_thread(); });
}

Server::~Server() = default;

void Server::bind() {
  auto& o = impl_->options;
  boost::system::error_code ec;
  auto address = asio::ip::make_address(o.host, ec);
  if (ec) throw std::runtime_error("invalid listen address '" + o.host + "'");
  tcp::endpoint endpoint(address, o.port);
  auto& acc = impl_->acceptor.emplace(*impl_->loops[0]);
  acc.open(endpoint.protocol(), ec);
  if (!ec) acc.set_option(asio::socket_base::reuse_address(true), ec);
  if (!ec) acc.bind(endpoint, ec);
  if (!ec) acc.listen(asio::socket_base::max_listen_connections, ec);
  if (ec) {
    throw std::runtime_error("cannot listen on " + o.host + ":" + std::to_string(o.port) + ": " +
                             ec.message());
  }
  if (o.stunPort != 0) {
    // The last loop: away from the Hub's when there are several.
    impl_->stun = std::make_unique<StunListener>(*impl_->loops.back());
    if (!impl_->stun->start(o.stunHost, o.stunPort)) impl_->stun.reset();
  }
}

std::uint16_t Server::port() const {
  return impl_->acceptor ? impl_->acceptor->local_endpoint().port() : 0;
}

void Server::run() {
  auto& impl = *impl_;
  asio::signal_set signals(*impl.loops[0], SIGINT, SIGTERM);
  signals.async_wait([&impl](const boost::system::error_code& ec, int) {
    if (!ec) impl.shutdown();
  });
  asio::co_spawn(*impl.loops[0], impl.acceptLoop(), asio::detached);
  asio::co_spawn(*impl.loops[0], impl.sweepLoop(), asio::detached);
  std::vector<std::thread> threads;
  for (std::size_t i = 1; i < impl.loops.size(); ++i) {
    threads.emplace_back([&impl, i] { impl.loops[i]->run(); });
  }
  impl.loops[0]->run();
  for (auto& t : threads) t.join();
}

void Server::stop() { impl_->shutdown(); }

std::size_t Server::sessionCount() const { return impl_->registry.size(); }

}  // namespace aerie
