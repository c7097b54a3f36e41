#pragma once
// The network front: one port serving HTTP and HTTPS (TLS told apart by its first byte),
// WebSocket and Engine.IO polling. Hides Asio and Beast behind this plain interface.
#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "core/Limits.hpp"
#include "http/HttpHandler.hpp"

namespace boost::asio {
class io_context;
}

namespace aerie {

class Hub;
class HubGateway;

struct ServerOptions {
  std::string host = "127.0.0.1";
  std::uint16_t port = 8080;
  unsigned threads = 2;      // event loops, one Hub shard each
  std::string certFile;      // PEM; TLS is off when empty
  std::string keyFile;
  bool redirectToHttps = false;  // with TLS: plain-HTTP requests get a 308 to https://
  std::string stunHost = "127.0.0.1";  // built-in STUN server (UDP and TCP)
  std::uint16_t stunPort = 3478;       // 0: off
};

class Server {
 public:
  // hubs[i] is the shard of loop i: there must be options.threads of them. Binds `gateway` to
  // the loops.
  Server(ServerOptions options, const Limits& limits, std::vector<Hub*> hubs, HttpHandler& http,
         HubGateway& gateway);
  ~Server();
  // Binds; throws std::runtime_error with a clear message if the address is taken.
  void bind();
  std::uint16_t port() const;  // the bound port (useful with port 0)
  // Runs the loops until SIGINT/SIGTERM or stop(); on SIGTERM peers hear `toclose` first.
  void run();
  void stop();
  // Runs first when shutdown begins (SIGTERM, SIGINT, stop()), on loop 0, before peers hear
  // `toclose`: cluster mode leaves the registry there. Set before run().
  void onShutdown(std::function<void()> fn);
  std::size_t sessionCount() const;
  // Event loop i (Hub shard i's), for subsystems that serve a shard's rooms on its thread.
  boost::asio::io_context& loop(unsigned i);

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace aerie
