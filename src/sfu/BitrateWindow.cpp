#include "sfu/BitrateWindow.hpp"

#include <algorithm>

namespace aerie {

void BitrateWindow::add(std::int64_t nowUs, std::size_t bytes) {
  if (nowUs < 0) return;
  if (firstUs_ < 0) firstUs_ = nowUs;
  const std::int64_t index = nowUs / bucketUs_;
  Bucket& b = buckets_[static_cast<std::size_t>(index % static_cast<std::int64_t>(kBuckets))];
  if (b.index != index) {
    b.index = index;
    b.bytes = 0;
  }
  b.bytes += bytes;
}

std::uint64_t BitrateWindow::bps(std::int64_t nowUs) const {
  if (firstUs_ < 0 || nowUs < firstUs_) return 0;
  const std::int64_t current = nowUs / bucketUs_;
  std::uint64_t bytes = 0;
  for (const auto& b : buckets_) {
    if (b.index > current - static_cast<std::int64_t>(kBuckets) && b.index <= current) bytes += b.bytes;
  }
  // The window: the full buckets before the current one and the part of it that has passed,
  // or less at the start.
  std::int64_t spanUs = static_cast<std::int64_t>(kBuckets - 1) * bucketUs_ + (nowUs - current * bucketUs_);
  spanUs = std::min(spanUs, nowUs - firstUs_);
  spanUs = std::max(spanUs, bucketUs_);
  return bytes * 8 * 1000000 / static_cast<std::uint64_t>(spanUs);
}

}  // namespace aerie
