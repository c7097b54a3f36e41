#include "core/Limits.hpp"

#include <charconv>

namespace aerie {
namespace {

// One row per limit: its name on the command line and where it lives.
struct Row {
  const char* name;
  std::size_t Limits::*size = nullptr;
  std::uint32_t Limits::*u32 = nullptr;
  double Limits::*real = nullptr;
};

const Row kRows[] = {
    {"max-frame-bytes", &Limits::maxFrameBytes},
    {"max-poll-body-bytes", &Limits::maxPollBodyBytes},
    {"max-http-header-bytes", &Limits::maxHttpHeaderBytes},
    {"max-http-body-bytes", &Limits::maxHttpBodyBytes},
    {"max-json-depth", &Limits::maxJsonDepth},
    {"max-write-queue-bytes", &Limits::maxWriteQueueBytes},
    {"ping-interval-ms", nullptr, &Limits::pingIntervalMs},
    {"ping-timeout-ms", nullptr, &Limits::pingTimeoutMs},
    {"handshake-timeout-ms", nullptr, &Limits::handshakeTimeoutMs},
    {"idle-http-timeout-ms", nullptr, &Limits::idleHttpTimeoutMs},
    {"max-connections-per-ip", &Limits::maxConnectionsPerIp},
    {"max-room-name-bytes", &Limits::maxRoomNameBytes},
    {"max-user-data-bytes", &Limits::maxUserDataBytes},
    {"default-max-peers-per-room", nullptr, &Limits::defaultMaxPeersPerRoom},
    {"join-timeout-ms", nullptr, &Limits::joinTimeoutMs},
    {"app-cache-ms", nullptr, &Limits::appCacheMs},
    {"app-cache-entries", &Limits::appCacheEntries},
    {"max-pending-usage-records", &Limits::maxPendingUsageRecords},
    {"store-connect-timeout-ms", nullptr, &Limits::storeConnectTimeoutMs},
    {"store-reconnect-ms", nullptr, &Limits::storeReconnectMs},
    {"store-check-ms", nullptr, &Limits::storeCheckMs},
    {"node-alive-ttl-ms", nullptr, &Limits::nodeAliveTtlMs},
    {"node-heartbeat-ms", nullptr, &Limits::nodeHeartbeatMs},
    {"room-claim-ttl-ms", nullptr, &Limits::roomClaimTtlMs},
    {"room-refresh-ms", nullptr, &Limits::roomRefreshMs},
    {"redis-connect-timeout-ms", nullptr, &Limits::redisConnectTimeoutMs},
    {"redis-command-timeout-ms", nullptr, &Limits::redisCommandTimeoutMs},
    {"redis-reconnect-min-ms", nullptr, &Limits::redisReconnectMinMs},
    {"redis-reconnect-max-ms", nullptr, &Limits::redisReconnectMaxMs},
    {"max-redis-reply-bytes", &Limits::maxRedisReplyBytes},
    {"bridge-connect-timeout-ms", nullptr, &Limits::bridgeConnectTimeoutMs},
    {"admin-fan-out-timeout-ms", nullptr, &Limits::adminFanOutTimeoutMs},
    {"max-fan-out-reply-bytes", &Limits::maxFanOutReplyBytes},
    {"targeted-burst", nullptr, nullptr, &Limits::targetedBurst},
    {"targeted-per-second", nullptr, nullptr, &Limits::targetedPerSecond},
    {"broadcast-burst", nullptr, nullptr, &Limits::broadcastBurst},
    {"broadcast-per-second", nullptr, nullptr, &Limits::broadcastPerSecond},
    {"fastmsg-warn-interval-ms", nullptr, &Limits::fastmsgWarnIntervalMs},
    {"over-budget-disconnect-ms", nullptr, &Limits::overBudgetDisconnectMs},
    {"over-budget-gap-ms", nullptr, &Limits::overBudgetGapMs},
    {"ice-consent-timeout-ms", nullptr, &Limits::iceConsentTimeoutMs},
    {"dtls-handshake-timeout-ms", nullptr, &Limits::dtlsHandshakeTimeoutMs},
    {"max-tracks-per-peer", nullptr, &Limits::maxTracksPerPeer},
    {"max-publisher-bitrate-kbps", nullptr, &Limits::maxPublisherBitrateKbps},
    {"max-subscriber-bitrate-kbps", nullptr, &Limits::maxSubscriberBitrateKbps},
    {"max-subscribers-per-room", nullptr, &Limits::maxSubscribersPerRoom},
    {"auto-sfu-peers", nullptr, &Limits::autoSfuPeers},
    {"max-srtp-streams-per-direction", &Limits::maxSrtpStreamsPerDirection},
    {"max-transports-per-address", &Limits::maxTransportsPerAddress},
    {"max-sdp-media-sections", &Limits::maxSdpMediaSections},
    {"max-data-message-bytes", &Limits::maxDataMessageBytes},
    {"max-data-channels-per-transport", &Limits::maxDataChannelsPerTransport},
    {"data-messages-burst", nullptr, nullptr, &Limits::dataMessagesBurst},
    {"data-messages-per-second", nullptr, nullptr, &Limits::dataMessagesPerSecond},
    {"max-concurrent-recordings", &Limits::maxConcurrentRecordings},
    {"max-recording-seconds", nullptr, &Limits::maxRecordingSeconds},
    {"max-recording-bytes", &Limits::maxRecordingBytes},
};

}  // namespace

bool Limits::set(std::string_view name, std::string_view value) {
  for (const Row& r : kRows) {
    if (name != r.name) continue;
    const char* end = value.data() + value.size();
    if (r.real) {
      double v = 0;
      auto [p, ec] = std::from_chars(value.data(), end, v);
      if (ec != std::errc() || p != end || v < 0) return false;
      this->*r.real = v;
      return true;
    }
    unsigned long long v = 0;
    auto [p, ec] = std::from_chars(value.data(), end, v);
    if (ec != std::errc() || p != end) return false;
    if (r.u32) {
      if (v > 0xFFFFFFFFull) return false;
      this->*r.u32 = static_cast<std::uint32_t>(v);
    } else {
      this->*r.size = static_cast<std::size_t>(v);
    }
    return true;
  }
  return false;
}

std::vector<std::string> Limits::names() {
  std::vector<std::string> out;
  for (const Row& r : kRows) out.emplace_back(r.name);
  return out;
}

}  // namespace aerie
