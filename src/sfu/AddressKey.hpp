#pragma once
// A remote transport address (IP and port) as a hash key: the media port routes a datagram by
// its sender's address once that address passed ICE, and keeps an ICE-TCP link per address.
// Small and hot (one lookup per datagram): everything here is inline.
#include <array>
#include <cstddef>
#include <cstdint>
#include <cstring>

#include "codec/StunMessage.hpp"

namespace aerie {

struct AddressKey {
  std::array<std::uint8_t, 16> bytes{};
  std::uint16_t port = 0;
  bool ipv6 = false;
  bool operator==(const AddressKey&) const = default;

  // The address as two 64-bit words and the port, mixed (hashing a byte at a time, FNV-1a, was
  // 1 % of aerie's CPU under the media bench).
  struct Hash {
    std::size_t operator()(const AddressKey& k) const {
      std::uint64_t low = 0;
      std::uint64_t high = 0;
      std::memcpy(&low, k.bytes.data(), 8);
      std::memcpy(&high, k.bytes.data() + 8, 8);
      std::uint64_t h = low * 0x9E3779B97F4A7C15ull ^ high;
      h = (h ^ (std::uint64_t{k.port} << 1 | (k.ipv6 ? 1u : 0u))) * 0xBF58476D1CE4E5B9ull;
      return static_cast<std::size_t>(h ^ (h >> 31));
    }
  };
};

inline AddressKey keyOf(const stun::Address& a) { return AddressKey{a.bytes, a.port, a.ipv6}; }

}  // namespace aerie
