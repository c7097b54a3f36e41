// libFuzzer target: Engine.IO polling payloads (v3 and v4), Engine.IO packets in a session,
// and socket.io packets, as they arrive from the wire.
#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

#include "codec/SocketIoCodec.hpp"
#include "codec/EngineIoCodec.hpp"
#include "engineio/EngineIoSession.hpp"

namespace {
struct NullListener : aerie::SessionListener {
  void onOpen(const std::shared_ptr<aerie::EngineIoSession>&) override {}
  void onMessage(const std::shared_ptr<aerie::EngineIoSession>&, std::string json) override {
    // Whatever we accept must re-encode into a packet that parses back to the same text.
    auto packet = aerie::SocketIoCodec::encodeMessage(json);
    auto sio = aerie::SocketIoCodec::parse(std::string_view(packet).substr(1));
    if (!sio) __builtin_trap();
    auto arg = aerie::SocketIoCodec::messageArgument(sio->data);
    if (arg.kind != aerie::SioEventKind::Message || arg.json != json) __builtin_trap();
  }
  void onUnusableEvent(const std::shared_ptr<aerie::EngineIoSession>&, aerie::SioEventKind kind) override {
    if (kind == aerie::SioEventKind::Message) __builtin_trap();
  }
  void onClose(const std::shared_ptr<aerie::EngineIoSession>&) override {}
};
}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  if (size == 0) return 0;
  std::string_view in(reinterpret_cast<const char*>(data + 1), size - 1);
  auto version = (data[0] & 1) ? aerie::EioVersion::V4 : aerie::EioVersion::V3;
  static aerie::Limits limits;
  static NullListener listener;
  std::vector<std::string> packets;
  if (!aerie::EngineIoCodec::decodePayload(version, in, packets, 64)) {
    packets.assign(1, std::string(in));
  }
  auto session = std::make_shared<aerie::EngineIoSession>(
      "fuzz", version, aerie::EngineIoSession::Transport::Polling, limits, listener, 0);
  session->start(true);
  if (version == aerie::EioVersion::V4) session->receive("40", 0);
  for (const auto& p : packets) {
    if (!session->receive(p, 1)) break;
  }
  (void)aerie::EngineIoCodec::encodePayload(version, session->drain());
  return 0;
}
