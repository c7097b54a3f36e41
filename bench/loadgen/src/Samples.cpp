#include "Samples.hpp"

#include <algorithm>
#include <cmath>
#include <limits>

namespace loadgen {

void Samples::add(double ms) {
  ++seen_;
  if (values_.size() < kMax) {
    values_.push_back(ms);
    return;
  }
  rng_ ^= rng_ << 13;
  rng_ ^= rng_ >> 7;
  rng_ ^= rng_ << 17;
  std::uint64_t j = rng_ % seen_;
  if (j < kMax) values_[j] = ms;
}

boost::json::array Samples::take() {
  boost::json::array a;
  a.reserve(values_.size());
  // Microsecond resolution is plenty and keeps the reply short.
  for (double v : values_) a.emplace_back(std::round(v * 1000.0) / 1000.0);
  values_.clear();
  values_.shrink_to_fit();
  seen_ = 0;
  return a;
}

double Samples::percentile(double p) const {
  if (values_.empty()) return std::numeric_limits<double>::quiet_NaN();
  std::vector<double> s(values_);
  std::sort(s.begin(), s.end());
  auto i = static_cast<std::size_t>(std::max(0.0, std::ceil(p / 100.0 * static_cast<double>(s.size())) - 1));
  return s[std::min(i, s.size() - 1)];
}

}  // namespace loadgen
