#pragma once
// Which admin endpoint a request path names (below /admin/v1), with its path parameters
// percent-decoded once. Never throws on wire data.
#include <string>
#include <string_view>

namespace aerie {

struct AdminRoute {
  enum class Endpoint {
    None,          // no such endpoint
    BadEscape,     // a malformed %XX escape in a segment
    OpenApi,       // /openapi.json
    Apps,          // /apps
    App,           // /apps/{key}
    RotateSecret,  // /apps/{key}/rotate-secret
    Aliases,       // /apps/{key}/aliases
    Rooms,         // /apps/{key}/rooms
    RoomLock,      // /apps/{key}/rooms/{room}/lock
    Peer,          // /apps/{key}/peers/{sid}
    Usage,         // /apps/{key}/usage
    Recordings,    // /recordings
    Recording,     // /recordings/{id}
    RecordingFile, // /recordings/{id}/{file}
  };
  Endpoint endpoint = Endpoint::None;
  std::string appKey;
  std::string room;
  std::string sid;
  std::string recording;  // its id
  std::string file;

  static constexpr std::string_view kPrefix = "/admin/v1";
  // `path` without the query; must start with kPrefix.
  static AdminRoute parse(std::string_view path);
  // The methods an endpoint answers, for `Allow` (RFC 9110 section 10.2.1).
  static std::string_view methods(Endpoint endpoint);
  // Whether `method` is one of methods(endpoint).
  static bool allows(Endpoint endpoint, std::string_view method);
};

}  // namespace aerie
