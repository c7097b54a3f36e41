#pragma once
// Transport-wide congestion control feedback (draft-holmer-rmcat-transport-wide-cc-extensions-01
// section 3.1: RTPFB, FMT 15), as a view over one RTCP packet: the base sequence number, the
// packet status count, the reference time (24-bit signed, 64 ms units), the feedback packet
// count, then packet chunks (run length, or status vectors of 14 one-bit or 7 two-bit symbols)
// and one receive delta per received packet (250 µs units: one byte unsigned for "small", two
// bytes signed for "large"). parse() walks every chunk and delta once and checks that they fit
// the packet; forEach() then walks them again without checks to repeat. Nothing here allocates
// or throws. RtcpWriter::transportFeedback writes what this reads.
#include <cstddef>
#include <cstdint>
#include <optional>
#include <span>

#include "codec/RtcpPacket.hpp"

namespace aerie {

class TransportFeedback {
 public:
  // `packet` must be an RTPFB packet of FMT 15; nullopt when it is not, or when its chunks and
  // deltas do not fit its body, or a status is the reserved symbol 3.
  static std::optional<TransportFeedback> parse(const RtcpPacket& packet);

  std::uint32_t senderSsrc() const { return word(body_.data()); }
  std::uint32_t mediaSsrc() const { return word(body_.data() + 4); }
  std::uint16_t baseSequence() const { return static_cast<std::uint16_t>(body_[8] << 8 | body_[9]); }
  std::uint16_t statusCount() const { return static_cast<std::uint16_t>(body_[10] << 8 | body_[11]); }
  // 24 bits, sign-extended, in 64 ms units.
  std::int32_t referenceTime() const;
  std::uint8_t feedbackCount() const { return body_[15]; }
  std::size_t receivedCount() const { return received_; }

  // Calls f(sequence, received, arrivalUs) for each of the statusCount() packets in order.
  // arrivalUs is the reference time plus the deltas so far (µs, in the receiver's clock; 0
  // for a packet not received).
  template <class F>
  void forEach(F&& f) const;

 private:
  explicit TransportFeedback(std::span<const std::uint8_t> body) : body_(body) {}
  static std::uint32_t word(const std::uint8_t* p) {
    return static_cast<std::uint32_t>(p[0]) << 24 | static_cast<std::uint32_t>(p[1]) << 16 |
           static_cast<std::uint32_t>(p[2]) << 8 | p[3];
  }
  // The symbol of the k-th status `chunk` describes (0 not received, 1 small delta, 2 large).
  static unsigned symbolOf(std::uint16_t chunk, std::size_t k);
  // How many statuses `chunk` describes.
  static std::size_t statusesIn(std::uint16_t chunk);

  static constexpr std::size_t kHeader = 16;  // SSRCs, base, count, reference, feedback count
  std::span<const std::uint8_t> body_;
  std::size_t received_ = 0;
};

template <class F>
void TransportFeedback::forEach(F&& f) const {
  const std::size_t count = statusCount();
  std::size_t chunkAt = kHeader;
  std::size_t done = 0;
  // Where the deltas start: after as many chunks as cover the statuses (parse() found it so).
  std::size_t deltaAt = kHeader;
  for (std::size_t covered = 0; covered < count; deltaAt += 2) {
    covered += statusesIn(static_cast<std::uint16_t>(body_[deltaAt] << 8 | body_[deltaAt + 1]));
  }
  std::int64_t arrival = static_cast<std::int64_t>(referenceTime()) * 64000;
  const auto sequence = baseSequence();
  while (done < count) {
    const auto chunk = static_cast<std::uint16_t>(body_[chunkAt] << 8 | body_[chunkAt + 1]);
    chunkAt += 2;
    const std::size_t n = statusesIn(chunk);
    for (std::size_t k = 0; k < n && done < count; ++k, ++done) {
      const unsigned symbol = symbolOf(chunk, k);
      const auto seq = static_cast<std::uint16_t>(sequence + done);
      if (symbol == 0) {
        f(seq, false, std::int64_t{0});
        continue;
      }
      if (symbol == 1) {
        arrival += static_cast<std::int64_t>(body_[deltaAt]) * 250;
        deltaAt += 1;
      } else {
        arrival += static_cast<std::int64_t>(static_cast<std::int16_t>(body_[deltaAt] << 8 | body_[deltaAt + 1])) * 250;
        deltaAt += 2;
      }
      f(seq, true, arrival);
    }
  }
}

}  // namespace aerie
