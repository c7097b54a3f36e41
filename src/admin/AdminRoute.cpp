#include "admin/AdminRoute.hpp"
#include "codec/QueryString.hpp"

#include <optional>
#include <vector>

#include "api/ApiTarget.hpp"

namespace aerie {
namespace {

constexpr std::size_t kMaxSegments = 6;  // the longest route has 5

}  // namespace

AdminRoute AdminRoute::parse(std::string_view path) {
  AdminRoute r;
  if (!path.starts_with(kPrefix)) return r;
  std::string_view rest = path.substr(kPrefix.size());
  if (rest.empty() || rest.front() != '/') return r;
  rest.remove_prefix(1);
  if (!rest.empty() && rest.back() == '/') rest.remove_suffix(1);  // `/apps/` as `/apps`

  std::vector<std::string> seg;
  while (true) {
    if (seg.size() == kMaxSegments) return r;
    const auto slash = rest.find('/');
    auto decoded = QueryString::percentDecode(rest.substr(0, slash));
    if (!decoded) {
      r.endpoint = Endpoint::BadEscape;
      return r;
    }
    // An empty segment (`//`) names nothing.
    if (decoded->empty()) return r;
    seg.push_back(std::move(*decoded));
    if (slash == std::string_view::npos) break;
    rest.remove_prefix(slash + 1);
  }

  const auto n = seg.size();
  if (n == 1 && seg[0] == "openapi.json") r.endpoint = Endpoint::OpenApi;
  if (seg[0] == "recordings") {
    if (n == 1) r.endpoint = Endpoint::Recordings;
    if (n >= 2) r.recording = seg[1];
    if (n == 2) r.endpoint = Endpoint::Recording;
    if (n == 3) {
      r.endpoint = Endpoint::RecordingFile;
      r.file = seg[2];
    }
    return r;
  }
  if (seg[0] != "apps") return r;
  if (n == 1) {
    r.endpoint = Endpoint::Apps;
    return r;
  }
  r.appKey = seg[1];
  if (n == 2) r.endpoint = Endpoint::App;
  if (n == 3 && seg[2] == "rotate-secret") r.endpoint = Endpoint::RotateSecret;
  if (n == 3 && seg[2] == "aliases") r.endpoint = Endpoint::Aliases;
  if (n == 3 && seg[2] == "rooms") r.endpoint = Endpoint::Rooms;
  if (n == 3 && seg[2] == "usage") r.endpoint = Endpoint::Usage;
  if (n == 4 && seg[2] == "peers") {
    r.endpoint = Endpoint::Peer;
    r.sid = seg[3];
  }
  if (n == 5 && seg[2] == "rooms" && seg[4] == "lock") {
    r.endpoint = Endpoint::RoomLock;
    r.room = seg[3];
  }
  return r;
}

std::string_view AdminRoute::methods(Endpoint endpoint) {
  switch (endpoint) {
    case Endpoint::OpenApi:
    case Endpoint::Rooms:
    case Endpoint::Usage:
    case Endpoint::Recordings:
    case Endpoint::RecordingFile:
      return "GET";
    case Endpoint::Recording:
      return "GET, DELETE";
    case Endpoint::Apps:
    case Endpoint::Aliases:
      return "GET, POST";
    case Endpoint::App:
      return "GET, PATCH, DELETE";
    case Endpoint::RotateSecret:
    case Endpoint::RoomLock:
      return "POST";
    case Endpoint::Peer:
      return "DELETE";
    case Endpoint::None:
    case Endpoint::BadEscape:
      return "";
  }
  return "";
}

bool AdminRoute::allows(Endpoint endpoint, std::string_view method) {
  if (method.empty()) return false;
  std::string_view list = methods(endpoint);
  while (!list.empty()) {
    const auto comma = list.find(',');
    if (list.substr(0, comma) == method) return true;
    if (comma == std::string_view::npos) break;
    list.remove_prefix(comma + 1);
    while (!list.empty() && list.front() == ' ') list.remove_prefix(1);
  }
  return false;
}

}  // namespace aerie
