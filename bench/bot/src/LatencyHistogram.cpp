#include "LatencyHistogram.hpp"

#include <algorithm>
#include <cmath>

namespace aerie::bot {

LatencyHistogram::LatencyHistogram() : buckets_(bucketOf(kCoarse) + 1, 0) {}

std::size_t LatencyHistogram::bucketOf(std::int64_t micros) {
  const std::int64_t v = std::max<std::int64_t>(micros, 0);
  if (v < kFine) return static_cast<std::size_t>(v);
  if (v < kCoarse) return static_cast<std::size_t>(kFine + (v - kFine) / 100);
  return static_cast<std::size_t>(kFine + (kCoarse - kFine) / 100);
}

std::int64_t LatencyHistogram::lowerEdge(std::size_t bucket) {
  const auto b = static_cast<std::int64_t>(bucket);
  if (b < kFine) return b;
  return kFine + (b - kFine) * 100;
}

void LatencyHistogram::add(std::int64_t micros) {
  ++buckets_[bucketOf(micros)];
  ++count_;
  max_ = std::max(max_, micros);
}

void LatencyHistogram::merge(const LatencyHistogram& other) {
  for (std::size_t i = 0; i < buckets_.size(); ++i) buckets_[i] += other.buckets_[i];
  count_ += other.count_;
  max_ = std::max(max_, other.max_);
}

std::int64_t LatencyHistogram::quantile(double q) const {
  if (count_ == 0) return 0;
  const auto rank = static_cast<std::uint64_t>(std::ceil(std::clamp(q, 0.0, 1.0) * static_cast<double>(count_)));
  std::uint64_t seen = 0;
  for (std::size_t i = 0; i < buckets_.size(); ++i) {
    seen += buckets_[i];
    if (seen >= std::max<std::uint64_t>(rank, 1)) return std::min(lowerEdge(i), max_);
  }
  return max_;
}

}  // namespace aerie::bot
