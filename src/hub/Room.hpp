#pragma once
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace aerie {

// What the admin API sees of a room.
struct RoomSnapshot {
  std::string roomKey;
  std::string realm;
  std::string name;
  bool locked = false;
  std::vector<std::string> peers;  // sids, in join order
};

// The members of one room and its server-side lock (protocol spec section 4: the lock lives on
// the server, not in any client). Holds sids only; the Hub owns the peers. Rooms are small
// (Limits::defaultMaxPeersPerRoom), so members are a vector kept in join order, which is also
// the order broadcasts go out in.
class Room {
 public:
  struct Member {
    std::string sid;
    std::uint64_t tieBreaker = 0;
    bool switchable = false;  // its client follows a switch between mesh and SFU (mediaMode)
  };

  // `sfu`: the room's media goes through the server peer (ServerPeer.hpp). `autoMedia`: the
  // realm's media mode is auto, and the Hub switches the room between mesh and SFU as it grows
  // and shrinks (setSfu); otherwise the mode is the room's for its whole life. `autoSfuPeers`:
  // the app's switch point (0: the server's, Limits::autoSfuPeers), fixed for the room's life.
  Room(std::string roomKey, std::string realm, std::string name, bool sfu = false, bool autoMedia = false,
       std::uint32_t autoSfuPeers = 0);

  const std::string& key() const { return key_; }
  const std::string& realm() const { return realm_; }
  const std::string& name() const { return name_; }
  bool locked() const { return locked_; }
  bool sfu() const { return sfu_; }
  bool autoMedia() const { return autoMedia_; }
  std::uint32_t autoSfuPeers() const { return autoSfuPeers_; }
  void setSfu(bool sfu) { sfu_ = sfu; }
  // Every member's client can follow a switch of media mode.
  bool allSwitchable() const;
  void setLocked(bool locked) { locked_ = locked; }

  // Adds a member; false if the sid is already in (the Hub never does that).
  bool add(std::string sid, std::uint64_t tieBreaker, bool switchable = false);
  // Removes a member; false if it was not in, so a second leave is a no-op.
  bool remove(std::string_view sid);
  bool contains(std::string_view sid) const;
  // The client adds its priority scheme to tieBreaker to get `weight`, and equal weights make
  // both peers wait for the other's offer; so tieBreakers must differ within a room.
  bool tieBreakerTaken(std::uint64_t tieBreaker) const;
  std::size_t size() const { return members_.size(); }
  bool empty() const { return members_.empty(); }
  const std::vector<Member>& members() const { return members_; }
  // The room's owner: the member longest in it (the first to join, then whoever has been there
  // longest once it leaves); empty for an empty room. Not Skylink's: aerie's app shows the
  // record button to the owner (docs/app.md).
  std::string_view owner() const { return members_.empty() ? std::string_view() : members_.front().sid; }
  RoomSnapshot snapshot() const;

 private:
  std::string key_;
  std::string realm_;
  std::string name_;
  bool locked_ = false;
  bool sfu_ = false;
  bool autoMedia_ = false;
  std::uint32_t autoSfuPeers_ = 0;
  std::vector<Member> members_;
};

}  // namespace aerie
