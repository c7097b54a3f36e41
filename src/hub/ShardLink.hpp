#pragma once
// How one Hub shard reaches the others. Rooms are spread over the event loops, one Hub per
// loop (a room lives on one loop, as mediasoup pins a router to a worker); what a Hub cannot
// finish alone goes through this link, which the transport implements by posting to the other
// loops. Every call is post-and-complete: the answer comes back as another call on the
// requesting Hub (Hub::adopt, deliverPeerList, deliverIntroduceError), never as a wait.
#include <cstdint>
#include <map>
#include <memory>
#include <string>
#include <vector>

#include "hub/JoinAuthorizer.hpp"

namespace aerie {

class Peer;

// Which shard a Hub is, of how many.
struct ShardPlan {
  unsigned index = 0;
  unsigned count = 1;
};

// Room name → sids, one realm's part of a `peerList` answer.
using PeerListPart = std::map<std::string, std::vector<std::string>>;

// What one shard knows about an `introduce`: whether it holds either peer and whether it sent
// the `approach` (both peers in one of its rooms).
struct IntroduceProbe {
  bool sendingFound = false;
  bool receivingFound = false;
  bool sent = false;
};

class ShardLink {
 public:
  virtual ~ShardLink() = default;
  // A joinRoom granted a room that lives on `shard`: the peer goes there with its grant and its
  // message, and that Hub finishes the join. Its sink hears PeerSink::rehome right after.
  virtual void handOff(unsigned shard, std::unique_ptr<Peer> peer, JoinGrant grant,
                       std::string joinJson) = 0;
  // A privileged `getPeers` from peer `requester` of shard `from`: every shard's part for the
  // realm, merged, back to Hub::deliverPeerList on shard `from`.
  virtual void gatherPeers(unsigned from, std::uint64_t requester, std::string realm,
                           bool showAll) = 0;
  // A privileged `introduce`: every shard tries it (Hub::introduceHere); if none sent the
  // `approach`, the error goes back to Hub::deliverIntroduceError on shard `from`.
  virtual void gatherIntroduce(unsigned from, std::uint64_t requester, std::string realm,
                               std::string sendingId, std::string receivingId) = 0;
};

}  // namespace aerie
