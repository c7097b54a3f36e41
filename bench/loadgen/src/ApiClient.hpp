// GET /api/{key}/{room} over keep-alive connections, pooled per source address (Node's http.Agent
// with keepAlive keys its pool by localAddress the same way). A request that finds its reused
// connection closed by the server is retried once on a new one.
#pragma once

#include "HttpConnection.hpp"
#include "LoopbackUrl.hpp"

#include <boost/asio/io_context.hpp>

#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <unordered_map>
#include <vector>

namespace loadgen {

class ApiClient {
 public:
  using Done = std::function<void(const std::string& error, int status, std::string body)>;

  ApiClient(boost::asio::io_context& io, LoopbackUrl server) : io_(io), server_(std::move(server)) {}

  // `pathAndQuery` starts with '/'.
  void get(const boost::asio::ip::address_v4& source, const std::string& pathAndQuery, Done done);
  void closeAll();

 private:
  void attempt(const boost::asio::ip::address_v4& source, std::string request, Done done, bool mayRetry);
  std::shared_ptr<HttpConnection> idle(const boost::asio::ip::address_v4& source);

  boost::asio::io_context& io_;
  LoopbackUrl server_;
  std::unordered_map<std::uint32_t, std::vector<std::shared_ptr<HttpConnection>>> idle_;
};

}  // namespace loadgen
