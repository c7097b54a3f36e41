#pragma once
// How many client transports use each remote IP address (ports ignored), against
// Limits::maxTransportsPerAddress. Not thread-safe: one per media loop.
#include <array>
#include <cstddef>
#include <cstdint>
#include <unordered_map>

#include "codec/StunMessage.hpp"

namespace aerie {

class AddressQuota {
 public:
  explicit AddressQuota(std::size_t perAddress) : perAddress_(perAddress) {}
  // Counts one more transport for `a`'s address; false (and nothing counted) when full.
  bool acquire(const stun::Address& a);
  void release(const stun::Address& a);
  std::size_t count(const stun::Address& a) const;

 private:
  struct Ip {
    std::array<std::uint8_t, 16> bytes{};
    bool ipv6 = false;
    bool operator==(const Ip&) const = default;
  };
  struct IpHash {
    std::size_t operator()(const Ip& ip) const;
  };
  static Ip ipOf(const stun::Address& a) { return Ip{a.bytes, a.ipv6}; }

  std::size_t perAddress_;
  std::unordered_map<Ip, std::size_t, IpHash> counts_;
};

}  // namespace aerie
