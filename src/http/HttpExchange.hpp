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
  // What SkylinkJS says of itself on the API request: 0.9.x sends Skylink_SDK_version; 2.x
  // also sends Skylink_API_version and X-Server-Select (0.5-0.6 send none of these).
  std::string skylinkSdkVersion;
  std::string skylinkApiVersion;
  std::string serverSelect;
  std::string range;    // Range (recording downloads), empty when absent
  bool ifRange = false;  // an If-Range header came: the Range is ignored (nothing to validate it against)
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
