#pragma once
// Open connections per client address, so one host cannot take every socket. The caller
// exempts 127.0.0.1 and ::1: behind a reverse proxy every client arrives from there, and the
// proxy limits instead.
// Thread-safe: connections are accepted on one loop and end on others.
#include <cstddef>
#include <mutex>
#include <string>
#include <unordered_map>

namespace aerie {

class ConnectionLimiter {
 public:
  explicit ConnectionLimiter(std::size_t maxPerAddress) : max_(maxPerAddress) {}
  // False when the address is at its limit; otherwise counts the connection.
  bool tryAcquire(const std::string& address, bool loopback);
  void release(const std::string& address, bool loopback);
  std::size_t count(const std::string& address) const;

 private:
  const std::size_t max_;
  mutable std::mutex mutex_;
  std::unordered_map<std::string, std::size_t> open_;
};

}  // namespace aerie
