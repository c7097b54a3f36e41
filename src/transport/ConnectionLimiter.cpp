#include "transport/ConnectionLimiter.hpp"

namespace aerie {

bool ConnectionLimiter::tryAcquire(const std::string& address, bool loopback) {
  if (loopback || max_ == 0) return true;
  std::lock_guard lock(mutex_);
  auto& n = open_[address];
  if (n >= max_) return false;
  ++n;
  return true;
}

void ConnectionLimiter::release(const std::string& address, bool loopback) {
  if (loopback || max_ == 0) return;
  std::lock_guard lock(mutex_);
  auto it = open_.find(address);
  if (it == open_.end()) return;
  if (--it->second == 0) open_.erase(it);
}

std::size_t ConnectionLimiter::count(const std::string& address) const {
  std::lock_guard lock(mutex_);
  auto it = open_.find(address);
  return it == open_.end() ? 0 : it->second;
}

}  // namespace aerie
