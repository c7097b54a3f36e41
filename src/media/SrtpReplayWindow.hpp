#pragma once
// The replay list of one received SRTP or SRTCP stream (RFC 3711 section 3.3.2): the highest
// packet index authenticated so far and which of the `Bits` indices below it were seen. A bit
// per index, kept in a ring (index modulo Bits), so that advancing by one packet clears one
// bit instead of shifting the whole map. Only authenticated packets may be accepted: a forged
// one must not move the window.
#include <array>
#include <cstddef>
#include <cstdint>

namespace aerie {

template <std::size_t Bits>
class SrtpReplayWindow {
  static_assert(Bits % 64 == 0 && Bits > 0);

 public:
  bool started() const { return started_; }
  std::uint64_t highest() const { return highest_; }

  // Whether `index` may be accepted: newer than the highest, or within the window and unseen.
  bool fresh(std::uint64_t index) const {
    if (!started_ || index > highest_) return true;
    if (highest_ - index >= Bits) return false;  // too old to tell: refused, as RFC 3711 says
    return !test(index);
  }

  // Records an authenticated `index` (which fresh() allowed).
  void accept(std::uint64_t index) {
    if (!started_) {
      started_ = true;
      highest_ = index;
    } else if (index > highest_) {
      if (index - highest_ >= Bits) {
        words_.fill(0);
      } else {
        for (std::uint64_t i = highest_ + 1; i <= index; ++i) clear(i);
      }
      highest_ = index;
    }
    words_[(index % Bits) / 64] |= bit(index);
  }

 private:
  static std::uint64_t bit(std::uint64_t index) { return std::uint64_t{1} << (index % 64); }
  bool test(std::uint64_t index) const { return (words_[(index % Bits) / 64] & bit(index)) != 0; }
  void clear(std::uint64_t index) { words_[(index % Bits) / 64] &= ~bit(index); }

  std::uint64_t highest_ = 0;
  bool started_ = false;
  std::array<std::uint64_t, Bits / 64> words_{};
};

// The 48-bit SRTP index of a packet with sequence number `seq` (RFC 3711 section 3.3.1 and
// appendix A): the rollover counter guessed from the highest index seen so far, one less when
// the packet is from just before a wrap, one more when it is from just after. -1 when the
// guess would be a rollover counter below zero (a packet from before the stream's first one).
inline std::int64_t srtpEstimateIndex(std::uint64_t highest, std::uint16_t seq) {
  const std::int64_t roc = static_cast<std::int64_t>(highest >> 16);
  const std::uint16_t last = static_cast<std::uint16_t>(highest);
  std::int64_t v = roc;
  if (last < 32768) {
    if (seq > last && seq - last > 32768) v = roc - 1;
  } else if (seq < last - 32768) {
    v = roc + 1;
  }
  if (v < 0 || v > 0xFFFFFFFFll) return -1;
  return v << 16 | seq;
}

}  // namespace aerie
