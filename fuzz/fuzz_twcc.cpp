// libFuzzer target: transport-cc feedback as a subscriber's browser sends it (RTPFB FMT 15),
// read by TransportFeedback and fed to a subscriber's estimate (SubscriberBandwidth, with a
// history of packets it was sent). Invariants: the view never reads outside the packet (ASan),
// forEach() reports exactly statusCount() packets and receivedCount() of them received, and
// the estimate stays within its bounds.
#include <array>
#include <cstddef>
#include <cstdint>
#include <vector>

#include "codec/RtcpPacket.hpp"
#include "codec/TransportFeedback.hpp"
#include "sfu/SubscriberBandwidth.hpp"

using aerie::RtcpPacket;
using aerie::SubscriberBandwidth;
using aerie::TransportFeedback;

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  // The packet alone, with its header as given; and behind a fixed header, as a body.
  std::vector<std::uint8_t> framed = {0x8F, 205, 0, 0};
  framed.insert(framed.end(), data, data + size);
  while (framed.size() % 4 != 0) framed.push_back(0);
  const std::size_t words = framed.size() / 4 - 1;
  framed[2] = static_cast<std::uint8_t>(words >> 8);
  framed[3] = static_cast<std::uint8_t>(words);
  static SubscriberBandwidth* down = [] {
    auto* d = new SubscriberBandwidth(5000000);
    d->setExtension(3);
    std::array<std::uint8_t, 32> copy{};
    copy[12] = 0x30 | 1;  // an element header, where stamp() writes
    for (int i = 0; i < 2000; ++i) d->stamp(copy, SubscriberBandwidth::Element{12, false}, i * 1000);
    return d;
  }();
  // A few more packets sent since the last input, for the feedback to be about.
  static std::int64_t sentUs = 2'000'000;
  std::array<std::uint8_t, 32> copy{};
  copy[12] = 0x30 | 1;
  for (int i = 0; i < 32; ++i) down->stamp(copy, SubscriberBandwidth::Element{12, false}, sentUs += 1000);
  for (const auto bytes : {std::span<const std::uint8_t>(data, size), std::span<const std::uint8_t>(framed)}) {
    auto p = RtcpPacket::first(bytes);
    if (!p) continue;
    auto f = TransportFeedback::parse(*p);
    if (!f) continue;
    std::size_t statuses = 0;
    std::size_t received = 0;
    f->forEach([&](std::uint16_t, bool r, std::int64_t) {
      ++statuses;
      received += r ? 1 : 0;
    });
    if (statuses != f->statusCount() || received != f->receivedCount()) __builtin_trap();
    down->onFeedback(*f, sentUs);
    const auto e = down->estimator().estimate();
    if (e < aerie::BandwidthEstimator::kMinBps || e > 5000000) __builtin_trap();
  }
  return 0;
}
