#include "cluster/RedisClient.hpp"

#include <boost/asio/as_tuple.hpp>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/connect.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/executor_work_guard.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/ip/address.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/ssl/context.hpp>
#include <boost/asio/ssl/stream.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/asio/write.hpp>
#include <chrono>
#include <deque>
#include <future>
#include <mutex>
#include <openssl/ssl.h>
#include <openssl/x509.h>
#include <openssl/x509_vfy.h>
#include <openssl/x509v3.h>
#include <optional>
#include <stdexcept>
#include <thread>

#include "codec/RespCommand.hpp"
#include "codec/RespParser.hpp"
#include "core/Log.hpp"

namespace aerie {

namespace asio = boost::asio;
using tcp = asio::ip::tcp;
using TlsSocket = asio::ssl::stream<tcp::socket>;
using Clock = std::chrono::steady_clock;
constexpr auto nothrow = asio::as_tuple(asio::use_awaitable);

namespace {

// The client side of TLS to Redis: TLS 1.2 or later, the server's certificate verified.
std::optional<asio::ssl::context> tlsContext(const RedisClient::Tls& tls) {
  if (!tls.enabled) return std::nullopt;
  std::optional<asio::ssl::context> ctx(std::in_place, asio::ssl::context::tls_client);
  SSL_CTX_set_min_proto_version(ctx->native_handle(), TLS1_2_VERSION);
  ctx->set_verify_mode(asio::ssl::verify_peer);
  const auto use = [](const char* what, const std::string& file, auto&& load) {
    boost::system::error_code ec;
    load(ec);
    if (ec) throw std::runtime_error(std::string("cannot use ") + what + (file.empty() ? "" : " " + file) + ": " + ec.message());
  };
  if (tls.caFile.empty()) {
    use("the system's trust store", "", [&](auto& ec) { ctx->set_default_verify_paths(ec); });
  } else {
    use("--redis-ca", tls.caFile, [&](auto& ec) { ctx->load_verify_file(tls.caFile, ec); });
  }
  if (tls.certFile.empty() != tls.keyFile.empty()) {
    throw std::runtime_error("--redis-cert and --redis-key go together");
  }
  if (!tls.certFile.empty()) {
    use("--redis-cert", tls.certFile, [&](auto& ec) { ctx->use_certificate_chain_file(tls.certFile, ec); });
    use("--redis-key", tls.keyFile, [&](auto& ec) { ctx->use_private_key_file(tls.keyFile, asio::ssl::context::pem, ec); });
  }
  return ctx;
}

}  // namespace

std::string_view RedisClient::toString(State s) {
  switch (s) {
    case State::Connecting:
      return "connecting";
    case State::Ready:
      return "ready";
    case State::Down:
      return "down";
    case State::Stopped:
      return "stopped";
  }
  return "?";
}

struct RedisClient::Impl {
  struct InFlight {
    Done done;
    Clock::time_point sentAt;
  };

  explicit Impl(RedisClient& o)
      : owner(o), guard(asio::make_work_guard(io)), tls(tlsContext(o.options_.tls)) {}

  RedisClient& owner;
  asio::io_context io;
  asio::executor_work_guard<asio::io_context::executor_type> guard;
  std::optional<asio::ssl::context> tls;  // with Options::tls.enabled
  std::thread thread;
  // The connection: `socket` in plain TCP, `secure` over TLS; lowest() is whichever exists.
  std::optional<tcp::socket> socket;
  std::optional<TlsSocket> secure;
  std::deque<InFlight> inFlight;
  std::string out;      // encoded commands not yet handed to the socket
  bool writing = false;
  std::uint64_t generation = 0;  // of the socket: a late write completion of an old one is ignored
  bool handshaking = false;  // connected, AUTH/PING not answered yet
  std::string readBuf;
  std::vector<std::pair<std::uint32_t, std::function<void()>>> tasks;
  mutable std::mutex errorMutex;
  std::string lastError;
  std::atomic<bool> stopping{false};

  void setState(State s) { owner.state_.store(s); }

  tcp::socket* lowest() {
    if (secure) return &secure->next_layer();
    return socket ? &*socket : nullptr;
  }
  bool open() {
    auto* s = lowest();
    return s != nullptr && s->is_open();
  }

  void setError(std::string why) {
    std::lock_guard lock(errorMutex);
    lastError = std::move(why);
  }

  static void complete(Done& done, Reply reply) {
    if (!done) return;
    try {
      done(std::move(reply));
    } catch (...) {
      // A completion must not take the connection down with it.
    }
  }

  void fail(Done& done, const std::string& why) {
    owner.failures_.fetch_add(1);
    Reply r;
    r.error = why;
    complete(done, std::move(r));
  }

  // On the client's thread. `internal`: AUTH/PING of the handshake, sent before Ready.
  void enqueue(const std::vector<std::string>& args, Done done, bool internal) {
    const bool usable = open() && (internal || owner.state() == State::Ready);
    if (!usable) {
      std::string why;
      {
        std::lock_guard lock(errorMutex);
        why = lastError;
      }
      return fail(done, "redis " + std::string(toString(owner.state())) + (why.empty() ? "" : ": " + why));
    }
    if (inFlight.size() >= owner.options_.maxInFlight) {
      return fail(done, "too many redis commands in flight");
    }
    RespCommand::encode(args, out);
    inFlight.push_back({std::move(done), Clock::now()});
    flush();
  }

  void flush() {
    if (writing || out.empty() || lowest() == nullptr) return;
    writing = true;
    auto batch = std::make_shared<std::string>(std::move(out));
    out.clear();
    auto written = [this, batch, gen = generation](boost::system::error_code ec, std::size_t) {
      if (gen != generation) return;
      writing = false;
      if (ec) {
        drop("write failed: " + ec.message());
        return;
      }
      flush();
    };
    if (secure) {
      asio::async_write(*secure, asio::buffer(*batch), std::move(written));
    } else {
      asio::async_write(*socket, asio::buffer(*batch), std::move(written));
    }
  }

  // Closes the socket; the read loop then sees the error and tears down.
  void drop(std::string why) {
    setError(std::move(why));
    if (auto* s = lowest()) {
      boost::system::error_code ignored;
      s->close(ignored);
    }
  }

  void teardown() {
    std::string why;
    {
      std::lock_guard lock(errorMutex);
      why = lastError;
    }
    socket.reset();
    secure.reset();
    ++generation;
    out.clear();
    writing = false;
    readBuf.clear();
    auto pending = std::move(inFlight);
    inFlight.clear();
    const bool wasReady = owner.state() == State::Ready;
    setState(stopping ? State::Stopped : State::Down);
    for (auto& p : pending) fail(p.done, "redis connection lost: " + why);
    if (wasReady && !stopping) {
      log::warn("redis", "connection lost", {{"error", why}});
      if (owner.listener_) owner.listener_->onDown(why);
    }
  }

  asio::awaitable<void> run() {
    const auto& o = owner.options_;
    std::uint32_t backoff = o.reconnectMinMs;
    bool quietFailure = false;  // log a failure to connect once, not at every attempt
    while (!stopping) {
      setState(State::Connecting);
      if (co_await connect()) {
        backoff = o.reconnectMinMs;
        quietFailure = false;
        co_await readLoop();
        teardown();
      } else {
        std::string why;
        {
          std::lock_guard lock(errorMutex);
          why = lastError;
        }
        setState(State::Down);
        ++generation;
        if (!quietFailure) log::warn("redis", "cannot connect", {{"error", why}});
        quietFailure = true;
        socket.reset();
        secure.reset();
      }
      if (stopping) break;
      asio::steady_timer pause(io, std::chrono::milliseconds(backoff));
      co_await pause.async_wait(nothrow);
      backoff = std::min(o.reconnectMaxMs, backoff * 2 == 0 ? 1 : backoff * 2);
    }
    setState(State::Stopped);
  }

  // TCP connect and, with TLS, the handshake, within one deadline; then AUTH (if any) and PING
  // pipelined; Ready once PING answers. True once the connection is up (readLoop finishes the
  // Redis handshake).
  asio::awaitable<bool> connect() {
    const auto& o = owner.options_;
    const std::string server = o.host + ":" + std::to_string(o.port);
    tcp::resolver resolver(io);
    auto [rec, endpoints] = co_await resolver.async_resolve(o.host, std::to_string(o.port), nothrow);
    if (rec) {
      setError("cannot resolve " + o.host + ": " + rec.message());
      co_return false;
    }
    if (tls) {
      secure.emplace(io, *tls);
    } else {
      socket.emplace(io);
    }
    asio::steady_timer deadline(io, std::chrono::milliseconds(o.connectTimeoutMs));
    bool timedOut = false;
    deadline.async_wait([this, &timedOut](boost::system::error_code ec) {
      if (ec) return;
      timedOut = true;
      boost::system::error_code ignored;
      if (auto* s = lowest()) s->close(ignored);
    });
    auto [cec, ep] = co_await asio::async_connect(*lowest(), endpoints, nothrow);
    if (!cec && !timedOut && secure) {
      const std::string why = co_await handshake();
      if (!why.empty()) {
        deadline.cancel();
        setError(timedOut ? "TLS handshake with " + server + " timed out after " + std::to_string(o.connectTimeoutMs) + " ms"
                          : "TLS handshake with " + server + " failed: " + why);
        co_return false;
      }
    }
    deadline.cancel();
    if (cec || timedOut) {
      setError(timedOut ? "connect timed out after " + std::to_string(o.connectTimeoutMs) + " ms"
                        : "connect to " + server + " failed: " + cec.message());
      co_return false;
    }
    boost::system::error_code ignored;
    lowest()->set_option(tcp::no_delay(true), ignored);
    owner.connects_.fetch_add(1);
    handshaking = true;
    if (!o.password.empty()) {
      std::vector<std::string> auth{"AUTH"};
      if (!o.user.empty()) auth.push_back(o.user);
      auth.push_back(o.password);
      enqueue(auth, [this](Reply r) {
        // The server's own words (WRONGPASS, NOAUTH): they never echo the password.
        if (!r.ok || r.value.isError()) drop("AUTH refused: " + (r.ok ? r.value.text : r.error));
      }, true);
    }
    enqueue({"PING"}, [this](Reply r) {
      if (!r.ok) return;
      if (r.value.isError()) {
        drop("PING refused: " + r.value.text);
        return;
      }
      handshaking = false;
      setState(State::Ready);
      setError("");
      log::info("redis", "connected", {{"server", owner.options_.host + ":" + std::to_string(owner.options_.port)}});
      if (owner.listener_) owner.listener_->onReady();
    }, true);
    co_return true;
  }

  // The client side of the TLS handshake: the server's certificate must chain to the CA and
  // carry the server name. Empty when it succeeded, else why (OpenSSL's verification result
  // when the certificate was refused).
  asio::awaitable<std::string> handshake() {
    const auto& t = owner.options_.tls;
    const std::string name = t.serverName.empty() ? owner.options_.host : t.serverName;
    boost::system::error_code notIp;
    asio::ip::make_address(name, notIp);
    // OpenSSL checks the name with the chain, so a mismatch is its own verification result
    // ("hostname mismatch", "IP address mismatch"). SNI carries host names only (RFC 6066).
    SSL* ssl = secure->native_handle();
    X509_VERIFY_PARAM* param = SSL_get0_param(ssl);
    if (notIp) {
      X509_VERIFY_PARAM_set_hostflags(param, X509_CHECK_FLAG_NO_PARTIAL_WILDCARDS);
      X509_VERIFY_PARAM_set1_host(param, name.c_str(), name.size());
      SSL_set_tlsext_host_name(ssl, name.c_str());
    } else {
      X509_VERIFY_PARAM_set1_ip_asc(param, name.c_str());
    }
    auto [ec] = co_await secure->async_handshake(asio::ssl::stream_base::client, nothrow);
    if (!ec) co_return std::string();
    std::string why = ec.message();
    const long verified = SSL_get_verify_result(secure->native_handle());
    if (verified != X509_V_OK) {
      why = std::string("the server's certificate was refused: ") + X509_verify_cert_error_string(verified);
    } else if (ec == asio::ssl::error::stream_truncated || ec == asio::error::eof) {
      why = "the server closed the connection (is it a TLS port?)";
    }
    co_return why;
  }

  asio::awaitable<void> readLoop() {
    RespParser::Bounds bounds;
    bounds.maxBytes = owner.options_.maxReplyBytes;
    char chunk[16384];
    while (open()) {
      auto [ec, n] = secure ? co_await secure->async_read_some(asio::buffer(chunk), nothrow)
                            : co_await socket->async_read_some(asio::buffer(chunk), nothrow);
      if (ec) {
        std::lock_guard lock(errorMutex);
        if (lastError.empty() || owner.state() == State::Ready) {
          lastError = ec == asio::error::eof ? "server closed the connection" : ec.message();
        }
        co_return;
      }
      readBuf.append(chunk, n);
      std::size_t at = 0;
      while (at < readBuf.size()) {
        RespValue value;
        const auto r = RespParser::parse(std::string_view(readBuf).substr(at), value, bounds);
        if (r.status == RespParser::Status::Incomplete) break;
        if (r.status == RespParser::Status::Invalid || inFlight.empty()) {
          drop(inFlight.empty() ? "reply without a command" : "malformed reply");
          co_return;
        }
        at += r.consumed;
        auto done = std::move(inFlight.front().done);
        inFlight.pop_front();
        Reply reply;
        reply.ok = true;
        if (value.isError()) reply.error = value.text;
        reply.value = std::move(value);
        complete(done, std::move(reply));
        if (!open()) co_return;
      }
      readBuf.erase(0, at);
    }
  }

  // Drops a connection whose oldest command went unanswered too long.
  asio::awaitable<void> watchdog() {
    const auto limit = std::chrono::milliseconds(owner.options_.commandTimeoutMs);
    asio::steady_timer timer(io);
    while (!stopping) {
      timer.expires_after(std::chrono::milliseconds(std::max<std::uint32_t>(10, owner.options_.commandTimeoutMs / 4)));
      co_await timer.async_wait(nothrow);
      if (!inFlight.empty() && Clock::now() - inFlight.front().sentAt > limit) {
        drop("no reply within " + std::to_string(owner.options_.commandTimeoutMs) + " ms");
      }
    }
  }

  asio::awaitable<void> repeat(std::uint32_t ms, std::function<void()> fn) {
    asio::steady_timer timer(io);
    while (!stopping) {
      timer.expires_after(std::chrono::milliseconds(ms));
      co_await timer.async_wait(nothrow);
      if (stopping) break;
      try {
        fn();
      } catch (...) {
      }
    }
  }
};

RedisClient::RedisClient(Options options) : options_(std::move(options)), impl_(std::make_unique<Impl>(*this)) {}

RedisClient::~RedisClient() { stop(); }

void RedisClient::every(std::uint32_t ms, std::function<void()> fn) {
  impl_->tasks.emplace_back(ms == 0 ? 1 : ms, std::move(fn));
}

void RedisClient::start() {
  if (impl_->thread.joinable()) return;
  auto& impl = *impl_;
  asio::co_spawn(impl.io, impl.run(), asio::detached);
  asio::co_spawn(impl.io, impl.watchdog(), asio::detached);
  for (auto& [ms, fn] : impl.tasks) asio::co_spawn(impl.io, impl.repeat(ms, fn), asio::detached);
  impl.thread = std::thread([&impl] { impl.io.run(); });
}

void RedisClient::stop() {
  auto& impl = *impl_;
  if (impl.stopping.exchange(true)) return;
  if (impl.thread.joinable()) {
    asio::post(impl.io, [&impl] {
      impl.setError("client stopped");
      impl.teardown();
      impl.io.stop();
    });
    impl.thread.join();
  }
  state_.store(State::Stopped);
}

void RedisClient::send(std::vector<std::string> args, Done done) {
  auto& impl = *impl_;
  if (impl.stopping || !impl.thread.joinable()) {
    failures_.fetch_add(1);
    Reply r;
    r.error = "redis client stopped";
    Impl::complete(done, std::move(r));
    return;
  }
  asio::post(impl.io, [&impl, args = std::move(args), done = std::move(done)]() mutable {
    impl.enqueue(args, std::move(done), false);
  });
}

RedisClient::Reply RedisClient::call(std::vector<std::string> args) {
  auto promise = std::make_shared<std::promise<Reply>>();
  auto future = promise->get_future();
  send(std::move(args), [promise](Reply r) { promise->set_value(std::move(r)); });
  // The watchdog answers every command within commandTimeoutMs and a tick; the margin covers
  // a thread that is slow to get a core.
  if (future.wait_for(std::chrono::milliseconds(options_.commandTimeoutMs * 2 + 100)) != std::future_status::ready) {
    failures_.fetch_add(1);
    Reply r;
    r.error = "redis did not answer in time";
    return r;
  }
  return future.get();
}

std::string RedisClient::lastError() const {
  std::lock_guard lock(impl_->errorMutex);
  return impl_->lastError;
}

}  // namespace aerie
