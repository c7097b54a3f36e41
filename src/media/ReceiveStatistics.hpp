#pragma once
// What the SFU receives of one published track, for the receiver reports it sends the publisher
// (RFC 3550 section 6.4.1): the extended highest sequence number (appendix A.1), packets lost in
// all and since the last report (A.3), the interarrival jitter (A.8), and the last sender report
// with its age (LSR, DLSR: the publisher works out its round trip time from them). Updated per
// packet with a few integer operations; no allocation.
#include <cstdint>

#include "codec/RtcpPacket.hpp"

namespace aerie {

class ReceiveStatistics {
 public:
  explicit ReceiveStatistics(std::uint32_t clockRate = 90000) : clockRate_(clockRate == 0 ? 90000 : clockRate) {}

  void onPacket(std::uint16_t sequence, std::uint32_t rtpTimestamp, std::int64_t arrivalUs);
  // The publisher's SR: its NTP time, and when it arrived here.
  void onSenderReport(std::uint64_t ntpTime, std::int64_t arrivalUs);
  bool received() const { return started_; }
  // The report block about `ssrc` at `nowUs`; starts the next interval for the fraction lost.
  RtcpReportBlock report(std::uint32_t ssrc, std::int64_t nowUs);

 private:
  std::uint32_t clockRate_;
  bool started_ = false;
  std::uint16_t maxSequence_ = 0;
  std::uint32_t cycles_ = 0;  // sequence number wraps, times 65536
  std::uint32_t baseSequence_ = 0;
  std::uint32_t received_ = 0;
  std::uint32_t expectedPrior_ = 0;
  std::uint32_t receivedPrior_ = 0;
  std::int64_t lastTransit_ = 0;
  std::uint32_t jitterQ4_ = 0;  // the jitter estimate in timestamp units, times 16
  std::uint32_t lastSenderReport_ = 0;
  std::int64_t lastSenderReportUs_ = 0;
};

}  // namespace aerie
