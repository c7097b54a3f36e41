// libFuzzer target: the STUN parser and responder must never crash or read out of bounds.
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "stun/StunResponder.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  std::string_view in(reinterpret_cast<const char*>(data), size);
  if (auto m = aerie::stun::StunCodec::parse(in)) {
    (void)m->xorMappedAddress();
    (void)m->integrityValid("key");
  }
  aerie::stun::Address from;
  from.bytes = {127, 0, 0, 1};
  from.port = 1234;
  if (auto reply = aerie::stun::StunResponder::respond(in, from)) {
    // What we send must itself parse, with a valid FINGERPRINT.
    auto back = aerie::stun::StunCodec::parse(*reply);
    if (!back || !back->fingerprintValid) __builtin_trap();
  }
  return 0;
}
