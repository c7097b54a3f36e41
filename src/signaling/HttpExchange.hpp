#pragma once
// A plain HTTP request/reply, so that request handlers above the transport never see Beast.
#include <optional>
#include <string>
#include <utility>
#include <vector>

namespace aerie {

struct HttpRequestView {
  std::string method;                 // "GET", "OPTIONS", ...
  std::string target;                 // raw request target: path and query, not decoded
  std::string host;                   // Host header, may carry a port
  std::optional<std::string> origin;  // absent for same-origin GETs (SkylinkJS 0.6.37 in Chromium)
  std::optional<std::string> referer;
  std::string accessControlRequestHeaders;  // for CORS preflight
  std::string authorization;          // "Bearer ..." for the admin API
  bool secure = false;                // arrived over TLS
  std::string remoteAddress;
  std::string body;
};

struct HttpReply {
  unsigned status = 200;
  std::string contentType = "application/json";
  std::vector<std::pair<std::string, std::string>> headers;  // extra headers (CORS, Location, ...)
  std::string body;
};

}  // namespace aerie
