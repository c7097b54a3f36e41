// libFuzzer target: the Hub fed arbitrary signaling messages from three connections, two of
// them joined to one room. Lines of the input are messages; the first byte of a line picks
// the connection.
#include <cstddef>
#include <cstdint>
#include <memory>
#include <string>

#include "hub/Hub.hpp"
#include "hub/JoinAuthorizer.hpp"
#include "hub/PeerSink.hpp"

namespace {

struct AllowAll : aerie::JoinAuthorizer {
  aerie::JoinGrant authorize(const boost::json::object& m, std::int64_t) override {
    aerie::JoinGrant g;
    const auto* rid = m.if_contains("rid");
    if (!rid || !rid->is_string() || rid->as_string().empty()) {
      g.reason = "credentialError";
      g.info = "no rid";
      return g;
    }
    g.ok = true;
    g.roomKey = std::string(rid->as_string());
    g.realm = "realm";
    g.appKey = "key";
    g.roomName = g.roomKey;
    g.maxPeers = 4;
    g.privileged = true;
    return g;
  }
};

struct Sink : aerie::PeerSink {
  void send(std::shared_ptr<const std::string>) override {}
  void close() override {}
};

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  // One Hub for the whole run (as in the server); each input brings three new connections
  // and removes them at the end, so rooms empty again. Time only moves forward.
  static aerie::Limits limits;
  static AllowAll auth;
  static aerie::Hub hub(limits, auth);
  static std::int64_t now = 1;
  aerie::Hub::ConnId ids[3];
  for (auto& id : ids) id = hub.connect(std::make_shared<Sink>(), now);
  hub.onMessage(ids[0], R"({"type":"joinRoom","rid":"r"})", now);
  hub.onMessage(ids[1], R"({"type":"joinRoom","rid":"r"})", now);
  std::string_view in(reinterpret_cast<const char*>(data), size);
  while (!in.empty()) {
    auto nl = in.find('\n');
    std::string_view line = in.substr(0, nl);
    if (!line.empty()) {
      auto conn = ids[static_cast<unsigned char>(line[0]) % 3];
      hub.onMessage(conn, line.substr(1), now);
    }
    now += 7;
    if (nl == std::string_view::npos) break;
    in = in.substr(nl + 1);
  }
  for (auto id : ids) hub.disconnect(id, now);
  now += 100000;
  hub.tick(now);
  // Every input leaves the Hub as it found it: no connection, no room.
  if (hub.stats().connections != 0 || hub.stats().rooms != 0) __builtin_trap();
  return 0;
}
