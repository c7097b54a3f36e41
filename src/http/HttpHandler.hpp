#pragma once
#include <cstdint>

#include "http/HttpExchange.hpp"

namespace aerie {

// Answers every HTTP request that is not socket.io (API, stats, pages, admin). Called on a
// connection's loop; implementations are thread-safe.
class HttpHandler {
 public:
  virtual ~HttpHandler() = default;
  virtual HttpReply handle(const HttpRequestView& request, std::int64_t nowMs) = 0;
};

}  // namespace aerie
