#include "media/AddressQuota.hpp"

namespace aerie {

std::size_t AddressQuota::IpHash::operator()(const Ip& ip) const {
  std::uint64_t h = 1469598103934665603ull;
  for (auto b : ip.bytes) h = (h ^ b) * 1099511628211ull;
  return static_cast<std::size_t>(h ^ static_cast<std::uint64_t>(ip.ipv6));
}

bool AddressQuota::acquire(const stun::Address& a) {
  auto& n = counts_[ipOf(a)];
  if (n >= perAddress_) {
    if (n == 0) counts_.erase(ipOf(a));
    return false;
  }
  ++n;
  return true;
}

void AddressQuota::release(const stun::Address& a) {
  auto it = counts_.find(ipOf(a));
  if (it == counts_.end()) return;
  if (--it->second == 0) counts_.erase(it);
}

std::size_t AddressQuota::count(const stun::Address& a) const {
  auto it = counts_.find(ipOf(a));
  return it == counts_.end() ? 0 : it->second;
}

}  // namespace aerie
