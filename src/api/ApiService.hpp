#pragma once
// The Skylink API server (protocol spec sections 2 and 7): turns an app key and a room name
// into a signed, time-limited session. Pure request -> reply; the transport owns sockets.
// Thread-safe: the store is, the signer is immutable, and the stats counter is atomic.
#include <atomic>
#include <boost/json/object.hpp>
#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <string_view>

#include "core/Limits.hpp"
#include "api/ApiConfig.hpp"
#include "api/RoomPlacer.hpp"
#include "http/HttpExchange.hpp"
#include "api/TokenSigner.hpp"
#include "storage/AppStore.hpp"

namespace aerie {

class ApiService {
 public:
  ApiService(AppStore& store, const TokenSigner& signer, const ApiConfig& config,
             const Limits& limits);

  // True for targets this service answers: `/api/...` and `/rest/stats/...`.
  static bool handles(std::string_view target);

  HttpReply handle(const HttpRequestView& req, std::int64_t nowMs);
  // What the transport calls: as handle(), but in cluster mode a session's room is placed
  // without holding the loop (RoomPlacer::placeAsync); `done` runs once, on any thread.
  void handleAsync(const HttpRequestView& req, std::int64_t nowMs, std::function<void(HttpReply)> done);

  // Cluster mode: the reply points at the room's node. Set before serving.
  void setPlacer(RoomPlacer* placer) { placer_ = placer; }

  // SkylinkJS 0.6 usage-statistics posts accepted so far.
  std::uint64_t statsPosts() const { return statsPosts_.load(std::memory_order_relaxed); }

 private:
  // A session reply but for where it sends the client (the room's node, in cluster mode), or
  // the error reply.
  struct Prepared {
    std::optional<HttpReply> error;
    boost::json::object body;
    std::string roomKey;
  };
  HttpReply session(const HttpRequestView& req, std::int64_t nowMs);
  Prepared prepare(const HttpRequestView& req, std::int64_t nowMs);
  // The reply to `req` with `body` sent to this server, or to the node `home` names.
  HttpReply finish(const HttpRequestView& req, boost::json::object body, const PlacedRoom* home) const;
  HttpReply stats(const HttpRequestView& req);

  AppStore& store_;
  const TokenSigner& signer_;
  const ApiConfig& config_;
  const Limits& limits_;
  RoomPlacer* placer_ = nullptr;
  std::atomic<std::uint64_t> statsPosts_{0};
};

}  // namespace aerie
