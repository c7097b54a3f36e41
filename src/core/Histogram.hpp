#pragma once
// A latency histogram with fixed bucket bounds, in the shape Prometheus exposes (cumulative
// `le` buckets, a sum and a count). Plain data, not thread-safe: the owner (the Hub) fills it
// on its own thread and hands out copies.
#include <array>
#include <cstddef>
#include <cstdint>

namespace aerie {

class Histogram {
 public:
  // Upper bounds in microseconds, 50 µs .. 1 s: a join is a few tens of µs of work when the
  // loop is idle and the target is p99 <= 5 ms, so the buckets are dense around 0.1–10 ms.
  static constexpr std::array<std::uint64_t, 14> kBoundsUs = {
      50, 100, 250, 500, 1000, 2500, 5000, 10000, 25000, 50000, 100000, 250000, 500000, 1000000};

  void observeUs(std::uint64_t us) {
    std::size_t i = 0;
    while (i < kBoundsUs.size() && us > kBoundsUs[i]) ++i;
    ++counts_[i];  // counts_[kBoundsUs.size()] is the +Inf bucket
    sumUs_ += us;
    ++count_;
  }

  // Adds another histogram's observations (the shards' join latencies, for metrics).
  void merge(const Histogram& other) {
    for (std::size_t i = 0; i < counts_.size(); ++i) counts_[i] += other.counts_[i];
    sumUs_ += other.sumUs_;
    count_ += other.count_;
  }

  // Observations <= kBoundsUs[i] (cumulative, as Prometheus' `le`); i == size() is +Inf.
  std::uint64_t cumulative(std::size_t i) const {
    std::uint64_t n = 0;
    for (std::size_t j = 0; j <= i && j < counts_.size(); ++j) n += counts_[j];
    return n;
  }
  std::uint64_t count() const { return count_; }
  std::uint64_t sumUs() const { return sumUs_; }

 private:
  std::array<std::uint64_t, kBoundsUs.size() + 1> counts_{};
  std::uint64_t sumUs_ = 0;
  std::uint64_t count_ = 0;
};

}  // namespace aerie
