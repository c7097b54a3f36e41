// What a worker counts besides latencies: errors by kind, sockets closed early, frames sent and
// received (by Skylink type). The figures client.mjs reports under the same names.
#pragma once

#include <boost/json/object.hpp>

#include <cstdint>
#include <map>
#include <string>
#include <string_view>

namespace loadgen {

class Counters {
 public:
  // One error of `kind`; the first few details go to stderr.
  void error(std::string_view kind, std::string_view detail = {});
  void countType(std::string_view type);

  std::uint64_t errors = 0;
  std::uint64_t closedEarly = 0;
  std::uint64_t sent = 0;
  std::uint64_t received = 0;
  std::map<std::string, std::uint64_t, std::less<>> errorKinds;
  std::map<std::string, std::uint64_t, std::less<>> receivedByType;

  boost::json::object errorKindsJson() const;
  boost::json::object receivedByTypeJson() const;
};

}  // namespace loadgen
