#pragma once
// A small HTTP/1.1 client for node-to-node requests in cluster mode (the admin API's lists
// gathered from every node, and a removal or lock passed to the node that holds the peer or the
// room): one request per connection, plain HTTP on the address the registry gives, a deadline,
// a bounded body. Asio and Beast stay in HttpFetch.cpp.
#include <cstdint>
#include <functional>
#include <string>

namespace aerie {

class Server;

class HttpFetch {
 public:
  struct Result {
    bool ok = false;     // a complete response arrived (any status)
    int status = 0;
    std::string body;
    std::string error;   // when !ok: what failed (connect, timeout, too large), never a header
  };
  using Done = std::function<void(Result)>;

  struct Request {
    std::string method = "GET";
    std::string host;
    std::uint16_t port = 0;
    std::string target;
    std::string authorization;  // may be empty
    std::string body;           // sent as application/json when not empty
  };

  explicit HttpFetch(Server& server) : server_(server) {}

  // `request` on the calling loop (loop 0 when called off the loops); `done` runs once, on
  // that loop.
  void send(Request request, std::uint32_t timeoutMs, std::size_t maxBodyBytes, Done done);

  // GET http://host:port`target` with `authorization` (may be empty), as send() does.
  void get(const std::string& host, std::uint16_t port, const std::string& target,
           const std::string& authorization, std::uint32_t timeoutMs, std::size_t maxBodyBytes,
           Done done);

 private:
  Server& server_;
};

}  // namespace aerie
