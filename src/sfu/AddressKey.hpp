#pragma once
// A remote transport address (IP and port) as a hash key: the media port routes a datagram by
// its sender's address once that address passed ICE, and keeps an ICE-TCP link per address.
// Small and hot (one lookup per datagram): everything here is inline.
#include <array>
#include <cstddef>
#include <cstdint>

#include "codec/StunMessage.hpp"

namespace aerie {

struct AddressKey {
  std::array<std::uint8_t, 16> bytes{};
  std::uint16_t port = 0;
  bool ipv6 = false;
  bool operator==(const AddressKey&) const = default;

  // FNV-1a over the address bytes, then the port.
  struct Hash {
    std::size_t operator()(const AddressKey& k) const {
      std::uint64_t h = 1469598103934665603ull;
      for (auto b : k.bytes) h = (h ^ b) * 1099511628211ull;
      return static_cast<std::size_t>((h ^ k.port) * 1099511628211ull);
    }
  };
};

inline AddressKey keyOf(const stun::Address& a) { return AddressKey{a.bytes, a.port, a.ipv6}; }

}  // namespace aerie
