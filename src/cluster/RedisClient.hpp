#pragma once
// A connection to one Redis server (7.0, RESP2) on a thread of its own, behind a plain
// interface: Asio stays in RedisClient.cpp. Commands from any thread are pipelined in the order
// given; each gets exactly one completion, on the client's thread: the reply (which may be a
// Redis error reply), or a failure when there is no usable connection.
//
// States: Connecting -> (AUTH, PING) -> Ready -> Down -> (back-off) -> Connecting ... -> Stopped.
// Outside Ready every command fails at once with the reason (nothing waits for a Redis that
// is away: a node keeps serving its rooms). A command unanswered for `commandTimeoutMs` (a
// hung or stopped server) drops the connection, failing everything in flight. The back-off
// between attempts doubles from reconnectMinMs to reconnectMaxMs and starts over once ready.
//
// TLS (Options::tls): the connection is TLS 1.2 or later, the server's certificate checked
// against the given CA file (else the system's trust store) and the server name (else the
// host); a client certificate when the server asks for one (`tls-auth-clients`). A handshake
// that fails is a failed connection like any other: the reason (with OpenSSL's verification
// result) is lastError(), and the client keeps trying with its back-off.
//
// The password goes only into AUTH: never into a log line or an error text.
#include <atomic>
#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "codec/RespValue.hpp"

namespace aerie {

class RedisClient {
 public:
  struct Tls {
    bool enabled = false;
    std::string caFile;      // PEM; empty: the system's default trust store
    std::string certFile;    // PEM chain of a client certificate; empty: none
    std::string keyFile;     // its private key (with certFile)
    std::string serverName;  // the name (or IP address) the certificate must carry; empty: host
  };
  struct Options {
    std::string host = "127.0.0.1";
    std::uint16_t port = 6379;
    std::string user;      // ACL user; empty: AUTH with the password alone
    std::string password;  // empty: no AUTH
    std::uint32_t connectTimeoutMs = 2000;
    std::uint32_t commandTimeoutMs = 1000;
    std::uint32_t reconnectMinMs = 100;
    std::uint32_t reconnectMaxMs = 2000;
    std::size_t maxReplyBytes = 1024 * 1024;
    std::size_t maxInFlight = 10000;  // commands sent and not yet answered
    Tls tls;
  };
  enum class State { Connecting, Ready, Down, Stopped };
  static std::string_view toString(State s);

  struct Reply {
    bool ok = false;    // false: no reply (not connected, connection lost, timeout)
    RespValue value;    // when ok; may be an error reply (value.isError())
    std::string error;  // when !ok, or the text of an error reply
  };
  using Done = std::function<void(Reply)>;

  // Hears the connection come and go, on the client's thread.
  class Listener {
   public:
    virtual ~Listener() = default;
    // Ready: commands sent from here go out before any sent from other threads afterwards.
    virtual void onReady() = 0;
    virtual void onDown(const std::string& why) = 0;
  };

  // With options.tls.enabled, reads the CA, certificate and key files now: throws
  // std::runtime_error naming the file when one cannot be used.
  explicit RedisClient(Options options);
  ~RedisClient();  // stop()
  RedisClient(const RedisClient&) = delete;
  RedisClient& operator=(const RedisClient&) = delete;

  // Set before start().
  void setListener(Listener* listener) { listener_ = listener; }
  // Runs `fn` on the client's thread every `ms`, from start() to stop(). Before start().
  void every(std::uint32_t ms, std::function<void()> fn);

  // Starts the thread, which connects in the background.
  void start();
  // Fails what is in flight, ends the thread. Idempotent.
  void stop();

  // Any thread. `done` runs on the client's thread.
  void send(std::vector<std::string> args, Done done);
  // Waits for the reply: at most commandTimeoutMs plus a margin. Never from the client's thread
  // (a Listener or a Done): that would wait for itself.
  Reply call(std::vector<std::string> args);

  State state() const { return state_.load(); }
  // Why the connection last failed (empty if it never did).
  std::string lastError() const;
  std::uint64_t connects() const { return connects_.load(); }
  // Commands that got no reply (not connected, dropped, timed out).
  std::uint64_t failures() const { return failures_.load(); }
  const Options& options() const { return options_; }

 private:
  struct Impl;
  const Options options_;
  Listener* listener_ = nullptr;
  std::atomic<State> state_{State::Down};
  std::atomic<std::uint64_t> connects_{0};
  std::atomic<std::uint64_t> failures_{0};
  std::unique_ptr<Impl> impl_;
};

}  // namespace aerie
