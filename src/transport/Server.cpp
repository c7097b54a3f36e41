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
#include "transport/EventLoops.hpp"
#include "transport/HubPort.hpp"
#include "transport/HubGateway.hpp"
#include "transport/ServerContext.hpp"
#include "transport/StunListener.hpp"

namespace aerie {

namespace asio = boost::asio;
using tcp = asio::ip::tcp;
constexpr auto nothrow = asio::as_tuple(asio::use_awaitable);

struct Server::Impl {
  Impl(ServerOptions o, const Limits& l, std::vector<Hub*> h, HttpHandler& http)
      : options(std::move(o)), limits(l), hubs(std::move(h)), loops(static_cast<unsigned>(hubs.size())) {
    hubPort = std::make_unique<HubPort>(hubs, loops, registry);
    for (Hub* hub : hubs) hub->setShardLink(hubPort.get());
    if (!options.certFile.empty()) tls = std::make_unique<TlsContext>(options.certFile, options.keyFile);
    context = std::make_unique<ServerContext>(ServerContext{
        limits, http, registry, *hubPort, loops, tls.get(), tls && options.redirectToHttps});
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
        tcp::socket socket(loops.at(static_cast<unsigned>(next % loops.size())));
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
        asio::steady_timer pause(loops.at(0), std::chrono::milliseconds(100));
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
    asio::steady_timer timer(loops.at(0));
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
      // Every shard checks its own join timeouts, on its loop.
      for (unsigned i = 0; i < hubs.size(); ++i) {
        asio::post(loops.at(i), [hub = hubs[i]] { hub->tick(nowMs()); });
      }
    }
  }

  void shutdown() {
    if (stopping.exchange(true)) return;
    if (beforeShutdown) beforeShutdown();
    log::info("server", "shutting down: telling peers, draining for 1 s");
    for (unsigned i = 0; i < hubs.size(); ++i) {
      asio::post(loops.at(i), [hub = hubs[i]] { hub->shutdown(); });
    }
    asio::post(loops.at(0), [this] {
      if (acceptor) acceptor->close();
      if (stun) stun->stop();
    });
    auto timer = std::make_shared<asio::steady_timer>(loops.at(0), std::chrono::seconds(1));
    timer->async_wait([this, timer](auto) { stopLoops(); });
  }

  void stopLoops() { loops.stop(); }

  ServerOptions options;
  const Limits& limits;
  std::vector<Hub*> hubs;
  EventLoops loops;
  SessionRegistry registry;
  std::unique_ptr<HubPort> hubPort;
  std::unique_ptr<TlsContext> tls;
  std::unique_ptr<ServerContext> context;
  std::optional<tcp::acceptor> acceptor;
  std::unique_ptr<StunListener> stun;
  std::atomic<bool> stopping{false};
  std::function<void()> beforeShutdown;
  ConnectionLimiter limiter{limits.maxConnectionsPerIp};
};

Server::Server(ServerOptions options, const Limits& limits, std::vector<Hub*> hubs,
               HttpHandler& http, HubGateway& gateway)
    : impl_(std::make_unique<Impl>(std::move(options), limits, std::move(hubs), http)) {
  if (impl_->hubs.empty()) throw std::runtime_error("a server needs at least one Hub");
  auto* loops = &impl_->loops;
  gateway.bind([loops](unsigned i, std::function<void()> fn) { asio::post(loops->at(i), std::move(fn)); },
               [](unsigned i) { return EventLoops::current() == i; });
}

Server::~Server() = default;

void Server::bind() {
  auto& o = impl_->options;
  boost::system::error_code ec;
  auto address = asio::ip::make_address(o.host, ec);
  if (ec) throw std::runtime_error("invalid listen address '" + o.host + "'");
  tcp::endpoint endpoint(address, o.port);
  auto& acc = impl_->acceptor.emplace(impl_->loops.at(0));
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
    impl_->stun = std::make_unique<StunListener>(impl_->loops.at(impl_->loops.size() - 1));
    if (!impl_->stun->start(o.stunHost, o.stunPort)) impl_->stun.reset();
  }
}

std::uint16_t Server::port() const {
  return impl_->acceptor ? impl_->acceptor->local_endpoint().port() : 0;
}

void Server::run() {
  auto& impl = *impl_;
  asio::signal_set signals(impl.loops.at(0), SIGINT, SIGTERM);
  signals.async_wait([&impl](const boost::system::error_code& ec, int) {
    if (!ec) impl.shutdown();
  });
  asio::co_spawn(impl.loops.at(0), impl.acceptLoop(), asio::detached);
  asio::co_spawn(impl.loops.at(0), impl.sweepLoop(), asio::detached);
  impl.loops.run();
}

void Server::stop() { impl_->shutdown(); }

void Server::onShutdown(std::function<void()> fn) { impl_->beforeShutdown = std::move(fn); }

std::size_t Server::sessionCount() const { return impl_->registry.size(); }

boost::asio::io_context& Server::loop(unsigned i) { return impl_->loops.at(i); }

}  // namespace aerie
