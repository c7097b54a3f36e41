#include "cluster/RedisClient.hpp"

#include <boost/asio/as_tuple.hpp>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/connect.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/executor_work_guard.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/asio/write.hpp>
#include <chrono>
#include <deque>
#include <future>
#include <mutex>
#include <thread>

#include "codec/RespCommand.hpp"
#include "codec/RespParser.hpp"
#include "core/Log.hpp"

namespace aerie {

namespace asio = boost::asio;
using tcp = asio::ip::tcp;
using Clock = std::chrono::steady_clock;
constexpr auto nothrow = asio::as_tuple(asio::use_awaitable);

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

  explicit Impl(RedisClient& o) : owner(o), guard(asio::make_work_guard(io)) {}

  RedisClient& owner;
  asio::io_context io;
  asio::executor_work_guard<asio::io_context::executor_type> guard;
  std::thread thread;
  std::optional<tcp::socket> socket;
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
    const bool usable = socket && socket->is_open() && (internal || owner.state() == State::Ready);
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
    if (writing || out.empty() || !socket) return;
    writing = true;
    auto batch = std::make_shared<std::string>(std::move(out));
    out.clear();
    asio::async_write(*socket, asio::buffer(*batch),
                      [this, batch, gen = generation](boost::system::error_code ec, std::size_t) {
                        if (gen != generation) return;
                        writing = false;
                        if (ec) {
                          drop("write failed: " + ec.message());
                          return;
                        }
                        flush();
                      });
  }

  // Closes the socket; the read loop then sees the error and tears down.
  void drop(std::string why) {
    setError(std::move(why));
    if (socket) {
      boost::system::error_code ignored;
      socket->close(ignored);
    }
  }

  void teardown() {
    std::string why;
    {
      std::lock_guard lock(errorMutex);
      why = lastError;
    }
    socket.reset();
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
      }
      if (stopping) break;
      asio::steady_timer pause(io, std::chrono::milliseconds(backoff));
      co_await pause.async_wait(nothrow);
      backoff = std::min(o.reconnectMaxMs, backoff * 2 == 0 ? 1 : backoff * 2);
    }
    setState(State::Stopped);
  }

  // TCP connect with a deadline, then AUTH (if any) and PING pipelined; Ready once PING
  // answers. True once the socket is connected (readLoop finishes the handshake).
  asio::awaitable<bool> connect() {
    const auto& o = owner.options_;
    tcp::resolver resolver(io);
    auto [rec, endpoints] = co_await resolver.async_resolve(o.host, std::to_string(o.port), nothrow);
    if (rec) {
      setError("cannot resolve " + o.host + ": " + rec.message());
      co_return false;
    }
    socket.emplace(io);
    asio::steady_timer deadline(io, std::chrono::milliseconds(o.connectTimeoutMs));
    bool timedOut = false;
    deadline.async_wait([this, &timedOut](boost::system::error_code ec) {
      if (ec) return;
      timedOut = true;
      boost::system::error_code ignored;
      if (socket) socket->close(ignored);
    });
    auto [cec, ep] = co_await asio::async_connect(*socket, endpoints, nothrow);
    deadline.cancel();
    if (cec || timedOut) {
      setError(timedOut ? "connect timed out after " + std::to_string(o.connectTimeoutMs) + " ms"
                        : "connect to " + o.host + ":" + std::to_string(o.port) + " failed: " + cec.message());
      co_return false;
    }
    socket->set_option(tcp::no_delay(true));
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

  asio::awaitable<void> readLoop() {
    RespParser::Bounds bounds;
    bounds.maxBytes = owner.options_.maxReplyBytes;
    char chunk[16384];
    while (socket && socket->is_open()) {
      auto [ec, n] = co_await socket->async_read_some(asio::buffer(chunk), nothrow);
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
        if (!socket || !socket->is_open()) co_return;
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
