#pragma once
#include <optional>
#include <string>
#include <string_view>

#include "codec/StunMessage.hpp"

namespace aerie::stun {

// A plain STUN server's logic (RFC 8489 section 6.3): Binding requests get the source
// address back; everything else is dropped or refused. Pure, for UDP and TCP alike.
class StunResponder {
 public:
  // nullopt: send nothing (not STUN, malformed, an indication, a bad FINGERPRINT).
  static std::optional<std::string> respond(std::string_view datagram, const Address& from);
};

}  // namespace aerie::stun
