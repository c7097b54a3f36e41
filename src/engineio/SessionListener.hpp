#pragma once
#include <memory>
#include <string>

#include "codec/SocketIoCodec.hpp"

namespace aerie {

class EngineIoSession;

// What a session tells the layer above (the Hub, through HubPort). Called on the session's
// transport thread; implementations post to the Hub's loop.
class SessionListener {
 public:
  virtual ~SessionListener() = default;
  virtual void onOpen(const std::shared_ptr<EngineIoSession>& s) = 0;  // socket.io connected
  virtual void onMessage(const std::shared_ptr<EngineIoSession>& s, std::string json) = 0;
  // A socket.io event that carries no Skylink message (`kind` is not Message): counted, the
  // socket stays, as for any malformed message.
  virtual void onUnusableEvent(const std::shared_ptr<EngineIoSession>& s, SioEventKind kind) = 0;
  virtual void onClose(const std::shared_ptr<EngineIoSession>& s) = 0;  // exactly once
};

}  // namespace aerie
