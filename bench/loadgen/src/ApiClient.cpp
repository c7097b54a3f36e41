#include "ApiClient.hpp"

namespace loadgen {

namespace {
constexpr std::size_t kMaxIdlePerSource = 32;
}

std::shared_ptr<HttpConnection> ApiClient::idle(const boost::asio::ip::address_v4& source) {
  auto it = idle_.find(source.to_uint());
  if (it == idle_.end()) return nullptr;
  auto& list = it->second;
  while (!list.empty()) {
    auto c = std::move(list.back());
    list.pop_back();
    if (c->reusable()) return c;
  }
  return nullptr;
}

void ApiClient::get(const boost::asio::ip::address_v4& source, const std::string& pathAndQuery, Done done) {
  std::string request;
  request.reserve(200 + pathAndQuery.size());
  request += "GET ";
  request += pathAndQuery;
  request += " HTTP/1.1\r\nSkylink_SDK_version: 0.6.37\r\nSkylink_SDK_type: WEB_SDK\r\nHost: ";
  request += server_.hostHeader;
  request += "\r\nConnection: keep-alive\r\n\r\n";
  attempt(source, std::move(request), std::move(done), true);
}

void ApiClient::attempt(const boost::asio::ip::address_v4& source, std::string request, Done done, bool mayRetry) {
  auto conn = idle(source);
  if (!conn) conn = std::make_shared<HttpConnection>(io_, source, server_);
  std::string copy = mayRetry ? request : std::string();
  conn->send(std::move(request), [this, conn, source, copy = std::move(copy), done = std::move(done), mayRetry](
                                     const std::string& error, bool retryable, int status, std::string body) mutable {
    if (!error.empty()) {
      if (retryable && mayRetry) return attempt(source, std::move(copy), std::move(done), false);
      return done(error, 0, {});
    }
    if (conn->reusable()) {
      auto& list = idle_[source.to_uint()];
      if (list.size() < kMaxIdlePerSource) list.push_back(conn);
      else conn->close();
    }
    done({}, status, std::move(body));
  });
}

void ApiClient::closeAll() {
  for (auto& [src, list] : idle_) {
    for (auto& c : list) c->close();
  }
  idle_.clear();
}

}  // namespace loadgen
