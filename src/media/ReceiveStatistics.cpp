#include "media/ReceiveStatistics.hpp"

#include <algorithm>
#include <cstdlib>

namespace aerie {
namespace {

// A sequence number this far ahead of the highest is a new one (with a wrap when it is
// smaller); anything else is late or repeated (RFC 3550 appendix A.1, MAX_DROPOUT).
constexpr std::uint16_t kMaxDropout = 3000;

}  // namespace

void ReceiveStatistics::onPacket(std::uint16_t sequence, std::uint32_t rtpTimestamp, std::int64_t arrivalUs) {
  if (!started_) {
    started_ = true;
    maxSequence_ = sequence;
    baseSequence_ = sequence;
  } else {
    const auto delta = static_cast<std::uint16_t>(sequence - maxSequence_);
    if (delta != 0 && delta < kMaxDropout) {
      if (sequence < maxSequence_) cycles_ += 65536;
      maxSequence_ = sequence;
    }
  }
  ++received_;
  // Transit time in timestamp units; the jitter follows its variation (A.8).
  const std::int64_t arrival = arrivalUs * clockRate_ / 1000000;
  const std::int64_t transit = arrival - static_cast<std::int64_t>(rtpTimestamp);
  if (received_ > 1) {
    const std::int64_t d = std::llabs(transit - lastTransit_);
    const std::int64_t q4 = static_cast<std::int64_t>(jitterQ4_) + d - ((static_cast<std::int64_t>(jitterQ4_) + 8) >> 4);
    jitterQ4_ = static_cast<std::uint32_t>(std::clamp<std::int64_t>(q4, 0, 0xFFFFFFFF));
  }
  lastTransit_ = transit;
}

void ReceiveStatistics::onSenderReport(std::uint64_t ntpTime, std::int64_t arrivalUs) {
  lastSenderReport_ = static_cast<std::uint32_t>(ntpTime >> 16);
  lastSenderReportUs_ = arrivalUs;
}

RtcpReportBlock ReceiveStatistics::report(std::uint32_t ssrc, std::int64_t nowUs) {
  RtcpReportBlock b;
  b.ssrc = ssrc;
  if (!started_) return b;
  const std::uint32_t extendedMax = cycles_ + maxSequence_;
  const std::uint32_t expected = extendedMax - baseSequence_ + 1;
  b.highestSequence = extendedMax;
  b.cumulativeLost = static_cast<std::int32_t>(std::clamp<std::int64_t>(
      static_cast<std::int64_t>(expected) - received_, -0x800000, 0x7FFFFF));
  const std::uint32_t expectedInterval = expected - expectedPrior_;
  const std::uint32_t receivedInterval = received_ - receivedPrior_;
  expectedPrior_ = expected;
  receivedPrior_ = received_;
  if (expectedInterval != 0 && receivedInterval < expectedInterval) {
    b.fractionLost = static_cast<std::uint8_t>(((expectedInterval - receivedInterval) << 8) / expectedInterval);
  }
  b.jitter = jitterQ4_ >> 4;
  if (lastSenderReportUs_ != 0) {
    b.lastSenderReport = lastSenderReport_;
    b.delaySinceLast = static_cast<std::uint32_t>(std::max<std::int64_t>(0, nowUs - lastSenderReportUs_) * 65536 / 1000000);
  }
  return b;
}

}  // namespace aerie
