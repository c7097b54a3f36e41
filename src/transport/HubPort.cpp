#include "transport/HubPort.hpp"

#include <boost/asio/post.hpp>
#include <mutex>

#include "core/Clock.hpp"
#include "engineio/EngineIoSession.hpp"
#include "engineio/SessionRegistry.hpp"
#include "hub/Hub.hpp"
#include "transport/EventLoops.hpp"

namespace aerie {

namespace asio = boost::asio;

HubPort::HubPort(std::vector<Hub*> hubs, EventLoops& loops, SessionRegistry& registry)
    : hubs_(std::move(hubs)), loops_(loops), registry_(registry) {}

void HubPort::onOpen(const std::shared_ptr<EngineIoSession>& s) {
  // A new session's shard is the loop it opened on: the call is inline but for a session
  // opened off the loops (tests).
  const unsigned shard = s->shard();
  auto connect = [this, s, shard] { s->connId = hubs_[shard]->connect(s, nowMs()); };
  if (EventLoops::current() == shard) return connect();
  asio::post(loops_.executor(shard), connect);
}

void HubPort::onMessage(const std::shared_ptr<EngineIoSession>& s, std::string json) {
  deliver(s, std::move(json));
}

void HubPort::deliver(const std::shared_ptr<EngineIoSession>& s, std::string json) {
  const unsigned shard = s->shard();
  if (EventLoops::current() == shard) {
    // The usual case: a WebSocket peer's connection runs on its room's loop.
    if (s->connId != 0) hubs_[shard]->onMessage(s->connId, json, nowMs());
    return;
  }
  asio::post(loops_.executor(shard), [this, s, shard, json = std::move(json)]() mutable {
    if (s->shard() != shard) return deliver(s, std::move(json));  // it moved on: follow
    if (s->connId != 0) hubs_[shard]->onMessage(s->connId, json, nowMs());
  });
}

void HubPort::onUnusableEvent(const std::shared_ptr<EngineIoSession>& s, SioEventKind kind) {
  DropReason reason = DropReason::Malformed;
  switch (kind) {
    case SioEventKind::Message:
      return;  // not unusable: onMessage has it
    case SioEventKind::OtherEvent:
      reason = DropReason::OtherEvent;
      break;
    case SioEventKind::BadArgument:
      reason = DropReason::BadEventArgument;
      break;
    case SioEventKind::Malformed:
      break;
  }
  const unsigned shard = s->shard();
  auto count = [hub = hubs_[shard], reason] { hub->countUnusableEvent(reason); };
  if (EventLoops::current() == shard) return count();
  asio::post(loops_.executor(shard), count);
}

void HubPort::onClose(const std::shared_ptr<EngineIoSession>& s) {
  registry_.remove(s->sid());
  disconnect(s);
}

void HubPort::disconnect(const std::shared_ptr<EngineIoSession>& s) {
  const unsigned shard = s->shard();
  if (EventLoops::current() == shard) {
    if (s->connId != 0) hubs_[shard]->disconnect(s->connId, nowMs());
    return;
  }
  asio::post(loops_.executor(shard), [this, s, shard] {
    if (s->shard() != shard) return disconnect(s);
    if (s->connId != 0) hubs_[shard]->disconnect(s->connId, nowMs());
  });
}

void HubPort::handOff(unsigned shard, std::unique_ptr<Peer> peer, JoinGrant grant,
                      std::string joinJson) {
  asio::post(loops_.executor(shard), [hub = hubs_[shard], peer = std::move(peer),
                                      grant = std::move(grant),
                                      joinJson = std::move(joinJson)]() mutable {
    hub->adopt(std::move(peer), std::move(grant), joinJson, nowMs());
  });
}

void HubPort::gatherPeers(unsigned from, std::uint64_t requester, std::string realm,
                          bool showAll) {
  struct Gathering {
    std::mutex mutex;
    PeerListPart merged;
    std::size_t left;
  };
  auto g = std::make_shared<Gathering>();
  g->left = hubs_.size();
  for (unsigned i = 0; i < hubs_.size(); ++i) {
    asio::post(loops_.executor(i), [this, g, i, from, requester, realm, showAll] {
      PeerListPart part = hubs_[i]->peersOf(realm, showAll);
      std::unique_lock lock(g->mutex);
      for (auto& [name, sids] : part) {
        auto& list = g->merged[name];
        list.insert(list.end(), sids.begin(), sids.end());
      }
      if (--g->left != 0) return;
      lock.unlock();
      asio::post(loops_.executor(from), [hub = hubs_[from], g, requester] {
        hub->deliverPeerList(requester, g->merged);
      });
    });
  }
}

void HubPort::gatherIntroduce(unsigned from, std::uint64_t requester, std::string realm,
                              std::string sendingId, std::string receivingId) {
  struct Gathering {
    std::mutex mutex;
    IntroduceProbe merged;
    std::size_t left;
    std::string sendingId, receivingId;
  };
  auto g = std::make_shared<Gathering>();
  g->left = hubs_.size();
  g->sendingId = std::move(sendingId);
  g->receivingId = std::move(receivingId);
  for (unsigned i = 0; i < hubs_.size(); ++i) {
    asio::post(loops_.executor(i), [this, g, i, from, requester, realm] {
      const IntroduceProbe probe = hubs_[i]->introduceHere(realm, g->sendingId, g->receivingId);
      std::unique_lock lock(g->mutex);
      g->merged.sendingFound |= probe.sendingFound;
      g->merged.receivingFound |= probe.receivingFound;
      g->merged.sent |= probe.sent;
      if (--g->left != 0) return;
      lock.unlock();
      const auto failure = Hub::introduceFailure(g->merged, g->sendingId, g->receivingId);
      if (failure.empty()) return;
      asio::post(loops_.executor(from), [hub = hubs_[from], g, requester, failure] {
        hub->deliverIntroduceError(requester, failure, g->sendingId, g->receivingId);
      });
    });
  }
}

}  // namespace aerie
