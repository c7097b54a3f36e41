#pragma once
// `pc_config.iceServers` for `inRoom`, shaped so SkylinkJS 0.6.x and 2.x both use it.
#include <boost/json/array.hpp>
#include <cstdint>
#include <climits>

#include "api/ApiConfig.hpp"

namespace aerie {

class IceServers {
 public:
  // One TURN entry carrying both the old `url` field, read by 0.6.x (`turn:USER@HOST:3478`,
  // USER without ':'), and `urls`/`username` for newer clients; then one STUN entry.
  // Credentials follow the TURN REST convention (spec section 7): username = unix expiry
  // seconds, credential = base64(HMAC-SHA1(turnSecret, username)). With `turnEnabled`
  // false, or no turnSecret configured, the entry is kept with a credential that never
  // authenticates. The credential expires after turnTtlSeconds, but never after
  // `sessionEndMs`, the end of the room session it was issued for.
  static boost::json::array build(const ApiConfig& config, std::int64_t nowMs,
                                  bool turnEnabled = true,
                                  std::int64_t sessionEndMs = INT64_MAX);
};

}  // namespace aerie
