#pragma once
// Connects sessions to the Hub: every call runs on the Hub's loop, so the Hub stays
// single-threaded. A session on that loop calls in directly; others post (per session, posts
// keep their order).
#include <boost/asio/any_io_executor.hpp>

#include "engineio/SessionListener.hpp"

namespace aerie {

class Hub;
class SessionRegistry;

class HubPort : public SessionListener {
 public:
  HubPort(Hub& hub, boost::asio::any_io_executor hubExecutor, SessionRegistry& registry);
  void onOpen(const std::shared_ptr<EngineIoSession>& s) override;
  void onMessage(const std::shared_ptr<EngineIoSession>& s, std::string json) override;
  void onUnusableEvent(const std::shared_ptr<EngineIoSession>& s, SioEventKind kind) override;
  void onClose(const std::shared_ptr<EngineIoSession>& s) override;

 private:
  Hub& hub_;
  boost::asio::any_io_executor exec_;
  SessionRegistry& registry_;
};

}  // namespace aerie
