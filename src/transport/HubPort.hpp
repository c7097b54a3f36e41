#pragma once
// Connects sessions to the Hub shards and the shards to each other (ShardLink). A session is
// served by one shard at a time (EngineIoSession::shard(): the shard of the loop it opened on,
// then its room's): on that shard's loop a call runs inline, from elsewhere it is posted there.
// A posted call that finds the session moved on meanwhile follows it. Posts from one loop to
// another keep their order, so a peer's messages reach its new shard after the peer does.
#include <boost/asio/any_io_executor.hpp>
#include <vector>

#include "engineio/SessionListener.hpp"
#include "hub/ShardLink.hpp"

namespace aerie {

class EventLoops;
class Hub;
class SessionRegistry;

class HubPort : public SessionListener, public ShardLink {
 public:
  // hubs[i] runs on loops.at(i).
  HubPort(std::vector<Hub*> hubs, EventLoops& loops, SessionRegistry& registry);

  // SessionListener (any loop).
  void onOpen(const std::shared_ptr<EngineIoSession>& s) override;
  void onMessage(const std::shared_ptr<EngineIoSession>& s, std::string json) override;
  void onUnusableEvent(const std::shared_ptr<EngineIoSession>& s, SioEventKind kind) override;
  void onClose(const std::shared_ptr<EngineIoSession>& s) override;

  // ShardLink (on a Hub's loop).
  void handOff(unsigned shard, std::unique_ptr<Peer> peer, JoinGrant grant,
               std::string joinJson) override;
  void gatherPeers(unsigned from, std::uint64_t requester, std::string realm,
                   bool showAll) override;
  void gatherIntroduce(unsigned from, std::uint64_t requester, std::string realm,
                       std::string sendingId, std::string receivingId) override;

 private:
  void deliver(const std::shared_ptr<EngineIoSession>& s, std::string json);
  void disconnect(const std::shared_ptr<EngineIoSession>& s);

  std::vector<Hub*> hubs_;
  EventLoops& loops_;
  SessionRegistry& registry_;
};

}  // namespace aerie
