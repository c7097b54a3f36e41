#pragma once
// The counters of one shard's media plane (ShardMedia), in /metrics as aerie_media_*. Written on
// the shard's loop only; atomics so that /metrics can read them from elsewhere (relaxed: one
// writer, no ordering needed).
#include <atomic>
#include <cstdint>
#include <string>
#include <vector>

namespace aerie {

struct MediaCounters {
  std::atomic<std::uint64_t> datagramsIn{0};
  std::atomic<std::uint64_t> unrouted{0};  // from an unknown address, and not a valid check
  std::atomic<std::uint64_t> forwarded{0};  // RTP packets sent to subscribers
  std::atomic<std::uint64_t> keyframeRequests{0};
  std::atomic<std::uint64_t> transports{0};  // open now
  std::atomic<std::uint64_t> bitrateCaps{0};  // REMBs sent to publishers
  std::atomic<std::uint64_t> retransmitted{0};  // resent to subscribers from the buffer
  std::atomic<std::uint64_t> nacksRelayed{0};   // NACKs passed on to publishers
  std::atomic<std::uint64_t> transportFeedback{0};  // transport-cc feedback to publishers
  std::atomic<std::uint64_t> feedbackRead{0};  // transport-cc feedback from subscribers
  std::atomic<std::uint64_t> rembRead{0};      // REMBs from subscribers
  std::atomic<std::uint64_t> layerChanges{0};  // layer aims the allocator changed
  std::atomic<std::uint64_t> refusedAddresses{0};  // checks refused by the per-address quota
  std::atomic<std::uint64_t> dataRelayed{0};  // data channel messages passed on to a peer
  std::atomic<std::uint64_t> dataDropped{0};
  std::atomic<std::uint64_t> transportsLost{0};  // closed by themselves (consent, DTLS)
  std::atomic<std::uint64_t> receiverReports{0};  // RRs sent to publishers
  std::atomic<std::uint64_t> senderReports{0};    // publishers' SRs passed on to subscribers
  std::atomic<std::uint64_t> tcpConnections{0};  // ICE-TCP connections accepted
  std::atomic<std::uint64_t> tcpDropped{0};      // packets dropped on a full ICE-TCP queue
  std::atomic<std::uint64_t> recordingFiles{0};  // open now
  std::atomic<std::uint64_t> recordedBytes{0};   // in files closed so far

  // Prometheus text for the shards' counters added up.
  static void render(const std::vector<const MediaCounters*>& shards, std::string& out);
};

}  // namespace aerie
