// The Hub's switch of an auto room (app media mode auto) between mesh and SFU. A join that
// makes the room larger than the app's autoSfuPeers (by default Limits::autoSfuPeers) hands it
// to the server peer: every member becomes its member, and every member hears
// `mediaMode {mode: 'sfu'}` (the newcomer in its inRoom) and connects to MCU
// (aerie's library keeps its mesh connections until MCU brings it each peer's media, so the
// picture does not stop). A leave that makes it smaller hands it back: the server peer drops
// the room at once and the members hear `mediaMode {mode: 'mesh'}` and connect to each other
// again. Only when every member said at joinRoom that its client can follow (`mediaSwitch`):
// SkylinkJS cannot, so a room with such a client stays in the mode it is in.
#include "core/Log.hpp"
#include "hub/Hub.hpp"

namespace aerie {

void Hub::switchMediaIfDue(Room& room, std::string_view newcomer) {
  if (!room.autoMedia() || serverPeer_ == nullptr || !room.allSwitchable()) return;
  // The app's switch point, else the server's.
  const std::size_t threshold = room.autoSfuPeers() != 0 ? room.autoSfuPeers() : limits_.autoSfuPeers;
  bool toSfu = false;
  if (!room.sfu() && room.size() > threshold) {
    toSfu = true;
  } else if (!(room.sfu() && room.size() < threshold)) {
    return;
  }
  log::info("hub", toSfu ? "auto room to sfu" : "auto room to mesh",
            {{"room", room.key()}, {"peers", std::to_string(room.size())}});
  if (toSfu) {
    room.setSfu(true);
    for (const auto& m : room.members()) {
      auto it = bySid_.find(m.sid);
      const bool privileged = it != bySid_.end() && it->second->membership().privileged;
      serverPeer_->onJoined(room.key(), ServerPeerMember{m.sid, privileged});
    }
  } else {
    serverPeer_->onRoomEnded(room.key());
    room.setSfu(false);
  }
  boost::json::object msg;
  msg["type"] = "mediaMode";
  msg["rid"] = room.key();
  msg["mid"] = "MCU";
  msg["mode"] = toSfu ? "sfu" : "mesh";
  for (const auto& m : room.members()) {
    if (m.sid == newcomer) continue;
    auto it = bySid_.find(m.sid);
    if (it != bySid_.end()) sendTo(*it->second, msg);
  }
}

}  // namespace aerie
