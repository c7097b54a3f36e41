#pragma once
// Transport-internal: what every connection needs. Only the Asio/Beast translation units
// include this header.
#include <boost/asio/ip/tcp.hpp>
#include <functional>
#include <memory>

#include "core/Clock.hpp"
#include "core/Crypto.hpp"
#include "core/Limits.hpp"
#include "tls/TlsContext.hpp"
#include "http/HttpHandler.hpp"
#include "transport/HubPort.hpp"
#include "engineio/SessionRegistry.hpp"
#include "transport/EventLoops.hpp"

namespace aerie {

// Held by whatever serves a connection now; the last holder's end runs the connection's end
// callback (the per-address limiter's release).
using ConnectionGuard = std::shared_ptr<void>;

struct ServerContext {
  const Limits& limits;
  HttpHandler& http;
  SessionRegistry& registry;
  HubPort& hubPort;
  EventLoops& loops;
  const TlsContext* tls = nullptr;  // null: plain HTTP only
  bool redirectToHttps = false;               // plain HTTP gets 308 to https:// (needs tls)
};

// A new session with a fresh sid, registered (polling requests and the sweep find it), not
// started yet.
inline std::shared_ptr<EngineIoSession> openSession(ServerContext& ctx, EioVersion v,
                                                    EngineIoSession::Transport t) {
  auto s = std::make_shared<EngineIoSession>(crypto::randomToken(15), v, t, ctx.limits, ctx.hubPort, nowMs());
  // Served first by the Hub shard of the loop it opened on (its room's, once it joins).
  const unsigned loop = EventLoops::current();
  if (loop != EventLoops::kNone) s->rehome(loop);
  ctx.registry.add(s);
  return s;
}

// Serves one accepted TCP connection on the socket's own loop until it closes, then calls
// `onEnd` (on that loop).
void startConnection(ServerContext& ctx, boost::asio::ip::tcp::socket socket,
                     std::function<void()> onEnd);

}  // namespace aerie
