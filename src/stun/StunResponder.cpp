#include "stun/StunResponder.hpp"

namespace aerie::stun {

std::optional<std::string> StunResponder::respond(std::string_view datagram, const Address& from) {
  auto m = StunCodec::parse(datagram);
  if (!m || m->cls != Class::Request || !m->fingerprintValid) return std::nullopt;
  if (m->method != static_cast<std::uint16_t>(Method::Binding)) {
    return StunCodec::errorResponse(m->method, m->transactionId, 400, "Bad Request");
  }
  // Comprehension-required attributes we do not know must be refused (RFC 8489 section 6.3.1).
  // USERNAME and MESSAGE-INTEGRITY are known; a server without credentials ignores them.
  std::vector<std::uint16_t> unknown;
  for (const auto& a : m->attributes) {
    bool required = a.type < 0x8000;
    bool known = a.type == Username || a.type == MessageIntegrity || a.type == XorMappedAddress ||
                 a.type == MappedAddress || a.type == ErrorCode || a.type == UnknownAttributes ||
                 a.type == 0x0024 /* PRIORITY */ || a.type == 0x0025 /* USE-CANDIDATE */ ||
                 a.type == 0x0003 /* CHANGE-REQUEST, RFC 5780: answered without changing */;
    if (required && !known) unknown.push_back(a.type);
  }
  if (!unknown.empty()) {
    return StunCodec::errorResponse(m->method, m->transactionId, 420, "Unknown Attribute", unknown);
  }
  return StunCodec::bindingSuccess(m->transactionId, from);
}

}  // namespace aerie::stun
