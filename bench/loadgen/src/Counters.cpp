#include "Counters.hpp"

#include <unistd.h>

#include <cstdio>

namespace loadgen {

void Counters::error(std::string_view kind, std::string_view detail) {
  ++errors;
  auto it = errorKinds.find(kind);
  if (it == errorKinds.end()) it = errorKinds.emplace(std::string(kind), 0).first;
  ++it->second;
  if (errors <= 5 && !detail.empty()) {
    if (detail.size() > 200) detail = detail.substr(0, 200);
    std::fprintf(stderr, "[aerie-loadgen %d] %.*s: %.*s\n", static_cast<int>(getpid()), static_cast<int>(kind.size()),
                 kind.data(), static_cast<int>(detail.size()), detail.data());
  }
}

void Counters::countType(std::string_view type) {
  auto it = receivedByType.find(type);
  if (it == receivedByType.end()) it = receivedByType.emplace(std::string(type), 0).first;
  ++it->second;
}

boost::json::object Counters::errorKindsJson() const {
  boost::json::object o;
  for (const auto& [k, v] : errorKinds) o[k] = v;
  return o;
}

boost::json::object Counters::receivedByTypeJson() const {
  boost::json::object o;
  for (const auto& [k, v] : receivedByType) o[k] = v;
  return o;
}

}  // namespace loadgen
