#pragma once
// The Skylink API server (protocol spec sections 2 and 7): turns an app key and a room name
// into a signed, time-limited session. Pure request -> reply; the transport owns sockets.
// Thread-safe: the store is, the signer is immutable, and the stats counter is atomic.
#include <atomic>
#include <cstdint>
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

  // Cluster mode: the reply points at the room's node. Set before serving.
  void setPlacer(RoomPlacer* placer) { placer_ = placer; }

  // SkylinkJS 0.6 usage-statistics posts accepted so far.
  std::uint64_t statsPosts() const { return statsPosts_.load(std::memory_order_relaxed); }

 private:
  HttpReply session(const HttpRequestView& req, std::int64_t nowMs);
  HttpReply stats(const HttpRequestView& req);

  AppStore& store_;
  const TokenSigner& signer_;
  const ApiConfig& config_;
  const Limits& limits_;
  RoomPlacer* placer_ = nullptr;
  std::atomic<std::uint64_t> statsPosts_{0};
};

}  // namespace aerie
