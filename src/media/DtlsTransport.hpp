#pragma once
// DTLS 1.2 (RFC 6347) for one WebRTC transport, with OpenSSL over memory BIOs: no socket here.
// Datagrams that arrive go in through feed(); what OpenSSL writes leaves, one datagram per
// write, through Listener::onDtlsSend. The peer is authenticated by the certificate
// fingerprint from its SDP (RFC 8122; a mismatch fails the handshake with an alert). use_srtp
// (RFC 5764) offers SRTP_AEAD_AES_128_GCM, then SRTP_AES128_CM_SHA1_80; once connected,
// srtpKeys() holds the master keys exported with the "EXTRACTOR-dtls_srtp" label.
//
// Time: OpenSSL retransmits lost flights on its own timer (started at kInitialRetransmitMs,
// doubling); tick() lets it do so and fails a handshake older than
// Limits::dtlsHandshakeTimeoutMs by the caller's clock. nextTimeout() says when to tick next.
//
// Bad input: datagrams that are not well-framed DTLS records are dropped and counted before
// OpenSSL sees them; records that fail their MAC are dropped by OpenSSL (RFC 6347 section
// 4.1.2.7). Not thread-safe: a transport lives on one event loop.
#include <openssl/types.h>

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <memory>
#include <optional>
#include <span>
#include <string>

#include "core/Limits.hpp"
#include "media/DtlsCertificate.hpp"
#include "media/SrtpKeys.hpp"

namespace aerie {

class DtlsTransport {
 public:
  using Clock = std::chrono::steady_clock;

  // Client sends the ClientHello; Server waits for one (the SFU answers with a=setup:passive
  // and is the server; a client such as the C++ bot is the client).
  enum class Role : std::uint8_t { Client, Server };
  // New until start(); Connecting during the handshake; Connected with keys; Failed (a fatal
  // alert, a wrong fingerprint, the handshake deadline) and Closed (close_notify either way)
  // are final.
  enum class State : std::uint8_t { New, Connecting, Connected, Failed, Closed };
  static const char* toString(State state);

  class Listener {
   public:
    virtual ~Listener() = default;
    // One datagram to send to the peer, valid during the call. Called from inside start(),
    // feed(), tick(), send() and close(): do not call back into the transport from here.
    virtual void onDtlsSend(std::span<const std::uint8_t> datagram) = 0;
    virtual void onDtlsStateChanged(State state) = 0;
    // Application data (SCTP for data channels), valid during the call.
    virtual void onDtlsData(std::span<const std::uint8_t> data) = 0;
  };

  struct Counters {
    std::uint64_t datagramsIn = 0;
    std::uint64_t datagramsOut = 0;
    std::uint64_t dropped = 0;  // not DTLS records, or arrived before start() / after the end
    std::uint64_t retransmitTimeouts = 0;
  };

  // 1200 bytes of DTLS per datagram: fits the IPv6 minimum MTU (1280) after the IP and UDP
  // headers, with room for a TURN channel header; libwebrtc uses the same.
  static constexpr int kMtu = 1200;
  // First retransmission after 400 ms (OpenSSL's default is 1 s; a lost flight on a call
  // setup costs that much), doubling up to 6.4 s.
  static constexpr unsigned kInitialRetransmitMs = 400;
  static constexpr unsigned kMaxRetransmitMs = 6400;

  // `remoteFingerprint` as in the peer's a=fingerprint ("sha-256 AB:CD:..."). Throws
  // std::runtime_error if OpenSSL cannot set up (not on wire data).
  DtlsTransport(Role role, std::shared_ptr<const DtlsCertificate> certificate,
                std::string remoteFingerprint, const Limits& limits, Listener& listener);
  ~DtlsTransport();
  DtlsTransport(const DtlsTransport&) = delete;
  DtlsTransport& operator=(const DtlsTransport&) = delete;

  void start(Clock::time_point now);
  void feed(std::span<const std::uint8_t> datagram);
  void tick(Clock::time_point now);
  // How long until OpenSSL wants a tick to retransmit; nullopt when no timer runs.
  std::optional<std::chrono::milliseconds> nextTimeout() const;
  // Sends application data once Connected; false otherwise.
  bool send(std::span<const std::uint8_t> data);
  // Sends close_notify (when connected) and ends in Closed.
  void close();

  Role role() const { return role_; }
  State state() const { return state_; }
  const SrtpKeys& srtpKeys() const { return keys_; }
  const std::string& failure() const { return failure_; }  // why it Failed, for the log
  const Counters& counters() const { return counters_; }

 private:
  static SSL_CTX* sharedContext(const DtlsCertificate& certificate);
  static int verifyPeer(int preverified, X509_STORE_CTX* store);
  static int bioWrite(BIO* bio, const char* data, int length);

  void advanceHandshake();
  void readApplicationData();
  bool completeHandshake();
  void fail(std::string why);
  void setState(State state);

  Role role_;
  std::shared_ptr<const DtlsCertificate> certificate_;
  std::string remoteFingerprint_;
  Clock::duration handshakeTimeout_;
  Listener& listener_;
  SSL_CTX* ctx_ = nullptr;
  SSL* ssl_ = nullptr;
  BIO* in_ = nullptr;  // owned by ssl_
  State state_ = State::New;
  Clock::time_point started_{};
  SrtpKeys keys_;
  std::string failure_;
  Counters counters_;
};

}  // namespace aerie
