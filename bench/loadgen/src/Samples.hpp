// A reservoir of latency samples in ms (at most 50,000, uniformly kept), as client.mjs keeps:
// the orchestrator merges the workers' samples and takes the percentiles.
#pragma once

#include <boost/json/array.hpp>

#include <cstdint>
#include <vector>

namespace loadgen {

class Samples {
 public:
  static constexpr std::size_t kMax = 50'000;

  void add(double ms);
  // The samples so far as a JSON array; empties the reservoir.
  boost::json::array take();
  std::size_t size() const { return values_.size(); }
  // p in [0, 100] of what is held, NaN when empty (does not empty it).
  double percentile(double p) const;

 private:
  std::vector<double> values_;
  std::uint64_t seen_ = 0;
  std::uint64_t rng_ = 0x9E3779B97F4A7C15ull;
};

}  // namespace loadgen
