#pragma once
// A bitrate over a sliding window: bytes added at a time go into one of kBuckets buckets of a
// fixed length, and the rate is what the buckets of the last window hold over the time they
// cover. Used for the bitrate of each simulcast layer as it arrives from its publisher, and for
// what a subscriber's feedback says arrived. Fixed size, no allocation; time from the caller.
#include <array>
#include <cstddef>
#include <cstdint>

namespace aerie {

class BitrateWindow {
 public:
  static constexpr std::size_t kBuckets = 10;
  // The window is kBuckets × bucketUs.
  explicit BitrateWindow(std::int64_t bucketUs = 200000) : bucketUs_(bucketUs) {}

  void add(std::int64_t nowUs, std::size_t bytes);
  // Bits per second over the window that ends at `nowUs` (over the time since the first add
  // when that is shorter); 0 before anything was added.
  std::uint64_t bps(std::int64_t nowUs) const;

 private:
  struct Bucket {
    std::int64_t index = -1;  // nowUs / bucketUs of the bucket's time; -1: never used
    std::uint64_t bytes = 0;
  };
  std::int64_t bucketUs_;
  std::array<Bucket, kBuckets> buckets_{};
  std::int64_t firstUs_ = -1;
};

}  // namespace aerie
