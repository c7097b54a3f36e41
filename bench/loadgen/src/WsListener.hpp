// What a WebSocket client connection reports to its owner.
#pragma once

#include <string_view>

namespace loadgen {

class WsListener {
 public:
  // The 101 came back and checked out: frames can be sent.
  virtual void onWsOpen() = 0;
  // One whole text message (fragments joined).
  virtual void onWsText(std::string_view text) = 0;
  // Something went wrong. `protocol`: the server sent something a client must not accept (a
  // bad handshake reply, a masked or malformed frame, a binary message); otherwise the transport
  // failed (connect refused, reset). The connection may close right after.
  virtual void onWsError(std::string_view kind, std::string_view detail, bool protocol) = 0;
  // The socket is closed (by the server, after an error, or by terminate()); reported once.
  virtual void onWsClosed() = 0;

 protected:
  ~WsListener() = default;
};

}  // namespace loadgen
