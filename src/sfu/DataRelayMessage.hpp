#pragma once
// A Skylink data-transfer MESSAGE a client sends the MCU on its 'main' data channel (SkylinkJS
// sendP2PMessage with an MCU, ../shared/design/sfu.md 1.6):
//   {type: 'MESSAGE', isPrivate, sender, target: [peer ids], data}
// The SFU passes it on to each peer of `target` in the room, or to every other peer when the
// list is empty (a broadcast). Receivers take `data.sender` as the sender, so the SFU writes the
// real sender's id there: a client cannot speak for another. Anything else (not JSON, too deep,
// another type, a target that is not a list of strings) is refused.
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace aerie {

class DataRelayMessage {
 public:
  static std::optional<DataRelayMessage> parse(std::string_view text, std::string_view senderSid,
                                               std::size_t maxJsonDepth);

  // Empty: everyone in the room but the sender.
  const std::vector<std::string>& targets() const { return targets_; }
  // The message as its receivers get it.
  const std::string& text() const { return text_; }

 private:
  DataRelayMessage() = default;

  std::vector<std::string> targets_;
  std::string text_;
};

}  // namespace aerie
