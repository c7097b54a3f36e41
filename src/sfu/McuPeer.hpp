#pragma once
// The media server's peer ("MCU") in SFU rooms, as SkylinkJS 2.x speaks to it
// (../shared/design/sfu.md §1.4): a client's `enter` to MCU gets a `welcome` from MCU listing
// the members already there (`peersInRoom`), and the others hear a forwarded `enter` with
// `publisherId`; the client's `offer` to MCU gets an `answer` from the media plane's transport
// (SdpAnswer) and an `answerAck` once applied... The SkylinkJS 0.6.x form (an uplink to MCU and
// a downlink per publisher, answered as that publisher) comes later. One McuPeer per Hub shard,
// on its loop.
#include <boost/json/object.hpp>
#include <map>
#include <string>
#include <vector>

#include "hub/ServerPeer.hpp"
#include "sfu/MediaPlane.hpp"

namespace aerie {

class McuPeer : public ServerPeer {
 public:
  explicit McuPeer(MediaPlane& media) : media_(media) {}

  void setOutbox(ServerPeerOutbox* outbox) override { outbox_ = outbox; }
  void onJoined(std::string_view roomKey, const ServerPeerMember& member) override;
  void onMessage(std::string_view roomKey, std::string_view fromSid,
                 const boost::json::object& msg) override;
  void onLeft(std::string_view roomKey, std::string_view sid) override;

  // The fields of the server peer's own `welcome` and `enter` (agent, versions, flags).
  static boost::json::object ownFields();

 private:
  enum class MemberState { Joined, Entered };
  struct Member {
    std::string sid;
    MemberState state = MemberState::Joined;
    boost::json::object enter;  // what its `enter` said about it (userInfo, agent, versions)
  };
  struct RoomState {
    std::vector<Member> members;  // in join order
  };

  Member* find(RoomState& room, std::string_view sid);
  void handleEnter(std::string_view roomKey, RoomState& room, Member& from,
                   const boost::json::object& msg);
  void handleOffer(std::string_view roomKey, Member& from, const boost::json::object& msg);
  void relayMediaInfo(std::string_view roomKey, RoomState& room, const Member& from,
                      const boost::json::object& msg);
  // What other clients are told about `m` (peersInRoom entries and forwarded enters).
  static boost::json::object describe(const Member& m, std::string_view roomKey);

  MediaPlane& media_;
  ServerPeerOutbox* outbox_ = nullptr;
  std::map<std::string, RoomState, std::less<>> rooms_;
};

}  // namespace aerie
