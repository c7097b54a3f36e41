#pragma once
// Latency samples in µs, kept as counts: 1 µs buckets below 10 ms, 100 µs buckets to 1 s, one
// bucket above. Percentiles are read to the bucket's lower edge. One per loop thread, merged
// at the end.
#include <cstdint>
#include <vector>

namespace aerie::bot {

class LatencyHistogram {
 public:
  LatencyHistogram();

  void add(std::int64_t micros);
  void merge(const LatencyHistogram& other);

  std::uint64_t count() const { return count_; }
  std::int64_t max() const { return max_; }
  // The sample at quantile q (0..1), in µs; 0 when empty.
  std::int64_t quantile(double q) const;

 private:
  static constexpr std::int64_t kFine = 10'000;     // µs with 1 µs buckets
  static constexpr std::int64_t kCoarse = 1'000'000;  // µs with 100 µs buckets
  static std::size_t bucketOf(std::int64_t micros);
  static std::int64_t lowerEdge(std::size_t bucket);

  std::vector<std::uint64_t> buckets_;
  std::uint64_t count_ = 0;
  std::int64_t max_ = 0;
};

}  // namespace aerie::bot
