#pragma once
#include <memory>
#include <string>

namespace aerie {

class EngineIoSession;

// What a session tells the layer above (the Hub, through HubPort). Called on the session's
// transport thread; implementations post to the Hub's loop.
class SessionListener {
 public:
  virtual ~SessionListener() = default;
  virtual void onOpen(const std::shared_ptr<EngineIoSession>& s) = 0;  // socket.io connected
  virtual void onMessage(const std::shared_ptr<EngineIoSession>& s, std::string json) = 0;
  virtual void onClose(const std::shared_ptr<EngineIoSession>& s) = 0;  // exactly once
};

}  // namespace aerie
