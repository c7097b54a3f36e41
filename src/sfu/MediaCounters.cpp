#include "sfu/MediaCounters.hpp"

namespace aerie {

void MediaCounters::render(const std::vector<const MediaCounters*>& shards, std::string& out) {
  struct Series {
    const char* name;
    const char* type;
    const char* help;
    std::atomic<std::uint64_t> MediaCounters::*field;
  };
  static const Series kSeries[] = {
      {"aerie_media_datagrams_in_total", "counter", "UDP datagrams received on the media ports", &MediaCounters::datagramsIn},
      {"aerie_media_unrouted_total", "counter", "media datagrams from unknown addresses that were not a valid ICE check", &MediaCounters::unrouted},
      {"aerie_media_forwarded_packets_total", "counter", "RTP packets the SFU sent to subscribers", &MediaCounters::forwarded},
      {"aerie_media_keyframe_requests_total", "counter", "PLIs the SFU sent to publishers", &MediaCounters::keyframeRequests},
      {"aerie_media_retransmitted_packets_total", "counter", "RTP packets resent to subscribers from the SFU's buffer (NACK)", &MediaCounters::retransmitted},
      {"aerie_media_nacks_relayed_total", "counter", "NACKs passed on to publishers for packets the SFU did not have", &MediaCounters::nacksRelayed},
      {"aerie_media_transport_feedback_total", "counter", "transport-cc feedback packets sent to publishers", &MediaCounters::transportFeedback},
      {"aerie_media_downlink_feedback_total", "counter", "transport-cc feedback packets from subscribers read by their bandwidth estimators", &MediaCounters::feedbackRead},
      {"aerie_media_downlink_rembs_total", "counter", "REMBs from subscribers read by their bandwidth estimators", &MediaCounters::rembRead},
      {"aerie_media_layer_allocations_total", "counter", "simulcast layer changes the bandwidth allocator asked of subscribers' layer switches", &MediaCounters::layerChanges},
      {"aerie_media_bitrate_caps_total", "counter", "REMBs the SFU sent to publishers (max-publisher-bitrate-kbps)", &MediaCounters::bitrateCaps},
      {"aerie_media_refused_addresses_total", "counter", "ICE checks refused: max-transports-per-address", &MediaCounters::refusedAddresses},
      {"aerie_media_data_messages_relayed_total", "counter", "Skylink data channel messages the SFU passed on to a peer", &MediaCounters::dataRelayed},
      {"aerie_media_data_messages_dropped_total", "counter", "data channel messages the SFU did not pass on: not a Skylink MESSAGE, over data-messages-per-second, or the receiver's channel refused it", &MediaCounters::dataDropped},
      {"aerie_media_receiver_reports_total", "counter", "RTCP receiver reports the SFU sent to publishers", &MediaCounters::receiverReports},
      {"aerie_media_sender_reports_total", "counter", "publishers' RTCP sender reports passed on to subscribers", &MediaCounters::senderReports},
      {"aerie_media_transports_lost_total", "counter", "client transports that closed by themselves: ICE consent lost, DTLS failed or closed by the client", &MediaCounters::transportsLost},
      {"aerie_media_tcp_connections_total", "counter", "ICE-TCP connections accepted on the media port", &MediaCounters::tcpConnections},
      {"aerie_media_tcp_dropped_total", "counter", "packets not sent on an ICE-TCP connection whose reader fell behind", &MediaCounters::tcpDropped},
      {"aerie_media_transports", "gauge", "client transports open on the media ports", &MediaCounters::transports},
      {"aerie_recording_files", "gauge", "publishers' recording files open (one per recorded publisher)", &MediaCounters::recordingFiles},
      {"aerie_recorded_bytes_total", "counter", "bytes written to recording files that are closed", &MediaCounters::recordedBytes},
  };
  for (const auto& s : kSeries) {
    std::uint64_t sum = 0;
    for (const MediaCounters* shard : shards) sum += (shard->*(s.field)).load(std::memory_order_relaxed);
    out += "# HELP ";
    out += s.name;
    out += ' ';
    out += s.help;
    out += "\n# TYPE ";
    out += s.name;
    out += ' ';
    out += s.type;
    out += '\n';
    out += s.name;
    out += ' ' + std::to_string(sum) + '\n';
  }
}

}  // namespace aerie
