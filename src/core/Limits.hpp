#pragma once
// Every bound Aerie enforces, in one place. Each default says why; each has a test.
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace aerie {

struct Limits {
  // Engine.IO / WebSocket
  std::size_t maxFrameBytes = 256 * 1024;        // one socket.io frame; an SDP with many m-lines is ~20 KiB
  std::size_t maxPollBodyBytes = 512 * 1024;     // one POST of a polling payload (several frames)
  std::size_t maxHttpHeaderBytes = 8 * 1024;     // request line + headers; browsers send ~1 KiB
  std::size_t maxHttpBodyBytes = 64 * 1024;      // REST bodies (admin, stats)
  std::size_t maxJsonDepth = 16;                 // Skylink messages nest 4 deep at most
  std::size_t maxWriteQueueBytes = 1024 * 1024;  // per connection; a slower reader is dropped
  std::uint32_t pingIntervalMs = 25000;          // socket.io defaults
  std::uint32_t pingTimeoutMs = 20000;
  std::uint32_t handshakeTimeoutMs = 10000;      // TCP/TLS/HTTP request must complete (slowloris)
  std::uint32_t idleHttpTimeoutMs = 30000;       // keep-alive HTTP connection without a request
  // Open TCP connections per client address, 0 = no limit. 127.0.0.1 and ::1 are exempt: a
  // reverse proxy connects from there and limits by itself. A browser tab holds one or two;
  // an office behind one NAT address holds hundreds.
  std::size_t maxConnectionsPerIp = 1000;

  // Rooms and peers
  std::size_t maxRoomNameBytes = 128;            // protocol spec section 2
  std::size_t maxUserDataBytes = 16 * 1024;      // userInfo/userData in enter/updateUserEvent
  std::uint32_t defaultMaxPeersPerRoom = 64;     // per app unless the app sets its own
  std::uint32_t joinTimeoutMs = 15000;           // socket must send joinRoom within this time

  // App keys: a key looked up is cached this long (every API call and joinRoom looks one up).
  // The server's own writes (admin API) clear the cache at once; changes made to the store by
  // another process (the `aerie app` CLI) reach a running server within this time. 0: no cache.
  std::uint32_t appCacheMs = 1000;
  std::size_t appCacheEntries = 10000;           // distinct keys cached at once (unknown keys never are)
  // Usage records waiting for the storage worker (one per peer session that ended). A store
  // this far behind (a disk that stalls) loses the newest records, counted, not the signaling:
  // 100,000 is a minute of 1,600 leaves per second, about 20 MiB.
  std::size_t maxPendingUsageRecords = 100000;

  // A shared PostgreSQL store (--store postgresql://...). Connecting gives up after this long
  // (libpq counts whole seconds, at least 2): a node must fail at start with a clear message,
  // not hang, when the database is unreachable.
  std::uint32_t storeConnectTimeoutMs = 5000;
  // The connection that listens for other nodes' key changes: after it drops, a new one is
  // tried this often (each attempt is cheap; a restarting database is back within seconds).
  std::uint32_t storeReconnectMs = 1000;
  // An idle listening connection is checked with a query this often, so a connection that
  // died without a FIN (a host or network gone) is noticed and replaced; until then the key
  // cache's own expiry (appCacheMs) still bounds how stale a key can be.
  std::uint32_t storeCheckMs = 5000;

  // Cluster mode (--redis): the registry of nodes and rooms in Redis (src/cluster).
  // A node's liveness key lives this long and is rewritten every nodeHeartbeatMs: a node that
  // dies or hangs is judged dead by Redis's clock within this time, and its rooms move on at
  // the next API call for them. Three heartbeats, so one slow beat is not a death.
  std::uint32_t nodeAliveTtlMs = 3000;
  std::uint32_t nodeHeartbeatMs = 1000;
  // A room's owner key lives this long; the owner re-asserts it every roomRefreshMs (and at
  // every reconnect to Redis) while the room has peers, and deletes it when it empties. Only a
  // key whose owner vanished without deleting it (and whose node key already lapsed) waits
  // for this: long, so a refresh or two may fail without losing the room.
  std::uint32_t roomClaimTtlMs = 60000;
  std::uint32_t roomRefreshMs = 20000;
  // Connecting to Redis gives up after this long; a command unanswered this long (a hung or
  // stopped Redis) drops the connection. An API call for a new room waits at most about this.
  std::uint32_t redisConnectTimeoutMs = 2000;
  std::uint32_t redisCommandTimeoutMs = 1000;
  // Reconnect back-off: from the first to the second, doubling. A restarted Redis is found
  // within reconnect-max of coming back.
  std::uint32_t redisReconnectMinMs = 100;
  std::uint32_t redisReconnectMaxMs = 1000;
  // A join for a room on another node is bridged there (a socket.io connection to the owner):
  // connecting, and the owner's Engine.IO handshake, must complete within this time, or the
  // client hears `toclose` and rejoins through the API. On a LAN it takes about a millisecond;
  // the client's own joinRoom wait is longer (SkylinkJS gives up after 20 s).
  std::uint32_t bridgeConnectTimeoutMs = 2000;
  // The admin API's room lists gather every node's part: a node that has not answered within
  // this time is listed as not answering (an operator's request should not hang on one node).
  // Each part is the node's rooms and peers as JSON: about 100 bytes per peer, so 4 MiB is some
  // 40,000 peers on one node.
  std::uint32_t adminFanOutTimeoutMs = 1000;
  std::size_t maxFanOutReplyBytes = 4 * 1024 * 1024;
  // One Redis reply: Aerie's are a few hundred bytes (the node list: ~50 bytes per node).
  std::size_t maxRedisReplyBytes = 1024 * 1024;

  // Rate limit per socket (protocol spec section 4): two token buckets.
  double targetedBurst = 500;                    // welcome/offer/answer/candidate/...: ICE restart in a 10-mesh
  double targetedPerSecond = 100;
  double broadcastBurst = 20;                    // public/updateUserEvent/mute/stream/lock, each group entry
  double broadcastPerSecond = 5;
  std::uint32_t fastmsgWarnIntervalMs = 1000;    // at most one fastmsg warning per second
  std::uint32_t overBudgetDisconnectMs = 10000;  // continuously over budget this long: disconnect
  std::uint32_t overBudgetGapMs = 1000;          // a quiet gap this long (no dropped message) ends an
                                                 // over-budget streak; 1 s is 5 refills of the room bucket

  // Media plane (src/media)
  // ICE consent freshness (RFC 7675 section 5.1): a transport whose remote end has sent no
  // valid Binding request for this long is closed. Browsers send one every 5 s or so (jittered
  // 4-6 s); 30 s is the RFC's consent lifetime.
  std::uint32_t iceConsentTimeoutMs = 30000;
  // A DTLS handshake that has not completed this long after it started fails. OpenSSL alone
  // would retransmit with back-off for minutes; a browser gives up well before 30 s.
  std::uint32_t dtlsHandshakeTimeoutMs = 30000;
  // Tracks one client may publish through the SFU (microphone, camera, screen, and one more);
  // further sections of its offer are answered but not forwarded.
  std::uint32_t maxTracksPerPeer = 4;
  // The bitrate a publisher is told it may send at most (REMB, once a second), in kbit/s.
  std::uint32_t maxPublisherBitrateKbps = 2500;
  // The most a subscriber's downlink bandwidth estimate (transport-cc, REMB) goes up to, in
  // kbit/s; it starts there too, so that a subscriber gets the top simulcast layers until its
  // feedback shows delay or loss.
  std::uint32_t maxSubscriberBitrateKbps = 10000;
  // An auto room (app media mode auto) switches from mesh to SFU when a join makes it larger
  // than this, and back to mesh when it shrinks below it, as long as every member's client can
  // follow the switch (aerie's library can; SkylinkJS cannot, and keeps the room as it started).
  // The default for apps whose own autoSfuPeers is 0 (admin API, `--auto-sfu-peers`).
  std::uint32_t autoSfuPeers = 4;
  // Members of one SFU room, each of whom receives every other's media: 20 publishers of audio
  // and video are 760 forwarded streams. The app's own peer limit applies when it is lower.
  std::uint32_t maxSubscribersPerRoom = 20;
  // SSRCs one SRTP session keeps state for, in each direction (AES-GCM; libsrtp's AES-CM path has
  // no bound). A subscriber's transport sends the forwarded tracks of everyone else in its room:
  // 19 x 4 = 76 SSRCs at the defaults above, each also a sender of SRTCP; a publisher sends
  // a few (audio, video, their RTX). Packets of an SSRC beyond this are dropped and counted, so
  // that a peer inventing SSRCs cannot grow a session's state (about 170 bytes an SSRC inbound).
  std::size_t maxSrtpStreamsPerDirection = 256;
  // Client transports whose ICE checks come from one IP address (all ports): one office behind
  // a NAT holds many; a single host opening thousands is refused.
  std::size_t maxTransportsPerAddress = 500;
  // Media sections in one SDP a client sends (a room of 16 with audio, video and screen is 50).
  std::size_t maxSdpMediaSections = 128;
  // One data channel message (SCTP user message), as a=max-message-size announces it; larger
  // ones are dropped and counted. Skylink's text messages and file chunks are a few KiB.
  std::size_t maxDataMessageBytes = 64 * 1024;
  // Data channels one client may open on its transport to the SFU (Skylink uses one, 'main',
  // and one per file transfer); further opens are refused with a stream reset.
  std::size_t maxDataChannelsPerTransport = 16;
  // Data channel messages the SFU relays for one client (token bucket, as for signaling).
  double dataMessagesBurst = 100;
  double dataMessagesPerSecond = 50;

  // Recordings of SFU rooms (src/record). Rooms recording at once in the process: each
  // recorded publisher writes 60-320 KB/s (bench/RESULTS.md), so 16 full rooms are ~100 MB/s,
  // about what one disk keeps up with.
  std::size_t maxConcurrentRecordings = 16;
  // A recording stops by itself after this long (a forgotten one does not fill the disk).
  std::uint32_t maxRecordingSeconds = 4 * 3600;
  // ... or once its files hold this much: 4 hours of 2 publishers at 2.5 Mbit/s each.
  std::size_t maxRecordingBytes = std::size_t{10} * 1024 * 1024 * 1024;

  // Sets one limit by its name as `--limit NAME=VALUE` spells it (kebab case of the field,
  // e.g. `max-frame-bytes`). False: unknown name or a value that is not a number.
  bool set(std::string_view name, std::string_view value);
  // Every name `set` accepts.
  static std::vector<std::string> names();
};

}  // namespace aerie
