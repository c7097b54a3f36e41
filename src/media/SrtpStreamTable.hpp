#pragma once
// Per-SSRC state of one SRTP direction: the streams in a vector, found through a small
// open-addressed hash table of their positions (linear probing, at most half full). A lookup
// is a multiply and a probe or two; adding a stream may allocate (the table doubles), a lookup
// never does. At most `limit` streams: one more is refused, so that a peer inventing SSRCs
// cannot grow the state without bound (Limits::maxSrtpStreamsPerDirection).
#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <vector>

namespace aerie {

template <typename Stream>
class SrtpStreamTable {
 public:
  explicit SrtpStreamTable(std::size_t limit) : limit_(std::min<std::size_t>(limit, 0xFFFF)) {}

  std::size_t size() const { return streams_.size(); }
  bool full() const { return streams_.size() >= limit_; }

  Stream* find(std::uint32_t ssrc) {
    if (slots_.empty()) return nullptr;
    for (std::size_t i = home(ssrc);; i = (i + 1) & mask()) {
      const std::uint16_t s = slots_[i];
      if (s == 0) return nullptr;
      if (streams_[s - 1].ssrc == ssrc) return &streams_[s - 1];
    }
  }

  // A new stream for `ssrc` (which find() did not return), or nullptr when the limit is reached.
  // Pointers from earlier calls are invalid afterwards.
  Stream* insert(std::uint32_t ssrc) {
    if (full()) return nullptr;
    if ((streams_.size() + 1) * 2 > slots_.size()) grow();
    streams_.emplace_back();
    streams_.back().ssrc = ssrc;
    place(ssrc, static_cast<std::uint16_t>(streams_.size()));
    return &streams_.back();
  }

 private:
  std::size_t mask() const { return slots_.size() - 1; }
  // Fibonacci hashing: the top bits of the product, which depend on every bit of the SSRC.
  std::size_t home(std::uint32_t ssrc) const {
    return static_cast<std::size_t>((ssrc * 0x9E3779B1u) >> (32 - bits_));
  }
  void place(std::uint32_t ssrc, std::uint16_t position) {
    std::size_t i = home(ssrc);
    while (slots_[i] != 0) i = (i + 1) & mask();
    slots_[i] = position;
  }
  void grow() {
    bits_ = slots_.empty() ? 4 : bits_ + 1;
    slots_.assign(std::size_t{1} << bits_, 0);
    for (std::size_t p = 0; p < streams_.size(); ++p) {
      place(streams_[p].ssrc, static_cast<std::uint16_t>(p + 1));
    }
  }

  std::size_t limit_;
  std::vector<Stream> streams_;
  std::vector<std::uint16_t> slots_;  // 1 + position in streams_, 0 = empty
  unsigned bits_ = 0;
};

}  // namespace aerie
