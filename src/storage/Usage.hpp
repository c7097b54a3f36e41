#pragma once
// Usage records: one per peer session (joinRoom to leave), summed per app and room.
#include <cstdint>
#include <string>
#include <vector>

namespace aerie {

// One peer's stay in one room.
struct SessionRecord {
  std::string appKey;    // the key the peer used (an alias key keeps its own records)
  std::string realm;     // primary key of the realm
  std::string roomName;
  std::string sid;
  std::int64_t joinedAtMs = 0;
  std::int64_t leftAtMs = 0;
};

// Sessions that overlap the window, and their time inside it.
struct UsageTotals {
  std::uint64_t sessions = 0;
  std::int64_t peerMs = 0;  // summed time of the peers in rooms
};

struct RoomUsage {
  std::string roomName;
  UsageTotals totals;
};

struct KeyUsage {
  std::string appKey;
  UsageTotals totals;
};

struct UsageReport {
  std::int64_t fromMs = 0;
  std::int64_t toMs = 0;
  UsageTotals totals;
  std::vector<RoomUsage> rooms;  // by peer-minutes, largest first
  std::vector<KeyUsage> keys;    // the primary key and its aliases, by peer-minutes
};

}  // namespace aerie
