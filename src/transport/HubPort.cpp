#include "transport/HubPort.hpp"

#include <boost/asio/dispatch.hpp>

#include "core/Clock.hpp"
#include "hub/Hub.hpp"
#include "engineio/EngineIoSession.hpp"
#include "engineio/SessionRegistry.hpp"

namespace aerie {

HubPort::HubPort(Hub& hub, boost::asio::any_io_executor hubExecutor, SessionRegistry& registry)
    : hub_(hub), exec_(std::move(hubExecutor)), registry_(registry) {}

void HubPort::onOpen(const std::shared_ptr<EngineIoSession>& s) {
  boost::asio::dispatch(exec_, [this, s] { s->connId = hub_.connect(s, nowMs()); });
}

void HubPort::onMessage(const std::shared_ptr<EngineIoSession>& s, std::string json) {
  boost::asio::dispatch(exec_, [this, s, json = std::move(json)] {
    if (s->connId != 0) hub_.onMessage(s->connId, json, nowMs());
  });
}

void HubPort::onUnusableEvent(const std::shared_ptr<EngineIoSession>&, SioEventKind kind) {
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
  boost::asio::dispatch(exec_, [this, reason] { hub_.countUnusableEvent(reason); });
}

void HubPort::onClose(const std::shared_ptr<EngineIoSession>& s) {
  registry_.remove(s->sid());
  boost::asio::dispatch(exec_, [this, s] {
    if (s->connId != 0) hub_.disconnect(s->connId, nowMs());
  });
}

}  // namespace aerie
