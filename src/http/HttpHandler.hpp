#pragma once
#include <cstdint>
#include <functional>

#include "http/HttpExchange.hpp"

namespace aerie {

// Gets the reply of handleAsync, exactly once, on any thread.
using HttpDone = std::function<void(HttpReply)>;

// Answers every HTTP request that is not socket.io (API, stats, pages, admin). Called on a
// connection's loop; implementations are thread-safe.
class HttpHandler {
 public:
  virtual ~HttpHandler() = default;
  virtual HttpReply handle(const HttpRequestView& request, std::int64_t nowMs) = 0;
  // What the transport calls. A handler that needs another loop (the Hub's) posts there and
  // calls `done` from it; nobody waits. `request` lives only during this call. The default
  // answers at once with handle().
  virtual void handleAsync(const HttpRequestView& request, std::int64_t nowMs, HttpDone done) {
    done(handle(request, nowMs));
  }
};

}  // namespace aerie
