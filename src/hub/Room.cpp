#include "hub/Room.hpp"

#include <algorithm>
#include <utility>

namespace aerie {

Room::Room(std::string roomKey, std::string realm, std::string name, bool sfu, bool autoMedia,
           std::uint32_t autoSfuPeers)
    : key_(std::move(roomKey)),
      realm_(std::move(realm)),
      name_(std::move(name)),
      sfu_(sfu),
      autoMedia_(autoMedia),
      autoSfuPeers_(autoSfuPeers) {}

bool Room::add(std::string sid, std::uint64_t tieBreaker, bool switchable) {
  if (contains(sid)) return false;
  members_.push_back(Member{std::move(sid), tieBreaker, switchable});
  return true;
}

bool Room::allSwitchable() const {
  for (const auto& m : members_) {
    if (!m.switchable) return false;
  }
  return true;
}

bool Room::remove(std::string_view sid) {
  auto it =
      std::find_if(members_.begin(), members_.end(), [&](const Member& m) { return m.sid == sid; });
  if (it == members_.end()) return false;
  members_.erase(it);
  return true;
}

bool Room::contains(std::string_view sid) const {
  return std::any_of(members_.begin(), members_.end(),
                     [&](const Member& m) { return m.sid == sid; });
}

bool Room::tieBreakerTaken(std::uint64_t tieBreaker) const {
  return std::any_of(members_.begin(), members_.end(),
                     [&](const Member& m) { return m.tieBreaker == tieBreaker; });
}

RoomSnapshot Room::snapshot() const {
  RoomSnapshot s{key_, realm_, name_, locked_, {}};
  s.peers.reserve(members_.size());
  for (const auto& m : members_) s.peers.push_back(m.sid);
  return s;
}

}  // namespace aerie
