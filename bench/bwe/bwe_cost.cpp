// The per-packet cost of a subscriber's bandwidth estimate, in process, as ShardMedia's loop
// pays it: each forwarded copy is stamped with the transport's transport-wide number
// (SubscriberBandwidth::find once per packet, stamp() per copy), and every 100 packets the
// subscriber's feedback on them (written here by TwccRecorder as a browser would) is parsed
// (TransportFeedback) and fed to the estimator. Prints CPU nanoseconds per packet for each.
//   aerie-bwe-cost [--packets 2000000]
#include <array>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <ctime>
#include <vector>

#include "codec/RtcpPacket.hpp"
#include "codec/RtpPacket.hpp"
#include "codec/TransportFeedback.hpp"
#include "media/TwccRecorder.hpp"
#include "sfu/SubscriberBandwidth.hpp"

namespace {

double cpuSeconds() {
  timespec ts{};
  clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &ts);
  return static_cast<double>(ts.tv_sec) + static_cast<double>(ts.tv_nsec) / 1e9;
}

}  // namespace

int main(int argc, char** argv) {
  long packets = 2000000;
  for (int i = 1; i + 1 < argc; ++i) {
    if (std::strcmp(argv[i], "--packets") == 0) packets = std::atol(argv[i + 1]);
  }
  // A 1,200-byte VP8 packet with mid (id 4) and transport-wide-cc (id 3) elements.
  std::vector<std::uint8_t> original = {0x90, 96, 0x00, 0x01, 0, 0, 0x10, 0, 0x11, 0x22, 0x33, 0x44,
                                        0xBE, 0xDE, 0x00, 0x02, 0x40, '0', 0x31, 0x00, 0x07, 0x00, 0x00, 0x00};
  original.resize(1200, 0xAB);
  std::vector<std::uint8_t> copy(original.size());
  aerie::SubscriberBandwidth down(10'000'000);
  down.setExtension(3);
  aerie::TwccRecorder receiver;
  std::array<std::uint8_t, 1500> feedback{};

  // Stamping alone: find once per packet, copy and stamp (the copy is made anyway).
  double start = cpuSeconds();
  std::int64_t now = 0;
  for (long i = 0; i < packets; ++i, now += 100) {
    auto p = aerie::RtpPacket::parse(original);
    const auto element = aerie::SubscriberBandwidth::find(*p, 3);
    std::memcpy(copy.data(), original.data(), original.size());
    down.stamp(copy, element, now);
  }
  const double stampNs = (cpuSeconds() - start) * 1e9 / static_cast<double>(packets);
  double copyStart = cpuSeconds();
  for (long i = 0; i < packets; ++i) {
    std::memcpy(copy.data(), original.data(), original.size());
    asm volatile("" : : "r"(copy.data()) : "memory");
  }
  const double copyNs = (cpuSeconds() - copyStart) * 1e9 / static_cast<double>(packets);

  // Feedback: every 100 packets, what a receiver reports of them, parsed and estimated.
  aerie::SubscriberBandwidth fed(10'000'000);
  fed.setExtension(3);
  double feedbackCpu = 0;
  std::size_t known = 0;
  for (long i = 0; i < packets; ++i, now += 100) {
    std::memcpy(copy.data(), original.data(), original.size());
    fed.stamp(copy, aerie::SubscriberBandwidth::Element{18, false}, now);
    receiver.record(static_cast<std::uint16_t>(copy[19] << 8 | copy[20]), now + 20000 + (i % 7) * 50);
    if (i % 100 != 99) continue;
    const std::size_t n = receiver.feedback(feedback, 1, 2);
    const double t0 = cpuSeconds();
    auto rtcp = aerie::RtcpPacket::first(std::span<const std::uint8_t>(feedback.data(), n));
    if (rtcp) {
      if (auto f = aerie::TransportFeedback::parse(*rtcp)) known += fed.onFeedback(*f, now);
    }
    feedbackCpu += cpuSeconds() - t0;
  }
  std::printf("packets: %ld (1,200 bytes)\n", packets);
  std::printf("find + copy + stamp: %.1f ns per packet (the copy alone: %.1f ns)\n", stampNs, copyNs);
  std::printf("feedback parse + estimate: %.1f ns per packet (%zu packets known), estimate %llu bit/s\n",
              feedbackCpu * 1e9 / static_cast<double>(packets), known,
              static_cast<unsigned long long>(fed.estimator().estimate()));
  return 0;
}
