#pragma once
// The media transport of one bot client, the client side of what aerie's MediaTransport is on
// the server: one UDP socket on loopback, ICE as the controlling agent (IceClient) towards the
// server's host candidate, then aerie's DtlsTransport as the DTLS client (the server answered
// a=setup:passive), then aerie's SrtpSession keyed from it. Datagrams are demultiplexed by
// their first byte (PacketDemux, RFC 7983); RTP and RTCP go up decrypted, in place, with the
// time they were read from the socket. sendRtp/sendRtcp encrypt in the caller's buffer.
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/udp.hpp>

#include <array>
#include <chrono>
#include <cstdint>
#include <memory>
#include <span>
#include <string>

#include "IceClient.hpp"
#include "codec/RtpPacket.hpp"
#include "core/Limits.hpp"
#include "media/DtlsCertificate.hpp"
#include "media/DtlsTransport.hpp"
#include "media/IceCredentials.hpp"
#include "media/SrtpSession.hpp"

namespace aerie::bot {

class BotTransport : private DtlsTransport::Listener {
 public:
  using Clock = std::chrono::steady_clock;

  // New: no remote yet. Checking: ICE. Handshaking: DTLS. Connected: SRTP keys in place.
  // Failed (ICE gave up, DTLS failed) and Closed are final.
  enum class State : std::uint8_t { New, Checking, Handshaking, Connected, Failed, Closed };
  static const char* toString(State state);

  class Listener {
   public:
    virtual ~Listener() = default;
    virtual void onTransportState(State state, std::string_view why) = 0;
    // Decrypted, valid during the call.
    virtual void onRtp(RtpPacket& packet, Clock::time_point arrival) = 0;
    virtual void onRtcp(std::span<std::uint8_t> compound) = 0;
  };

  struct Counters {
    std::uint64_t datagramsIn = 0;
    std::uint64_t rtpIn = 0;
    std::uint64_t rtcpIn = 0;
    std::uint64_t rtpOut = 0;
    std::uint64_t rtcpOut = 0;
    std::uint64_t bytesOut = 0;
    std::uint64_t dropped = 0;     // unknown kind, before SRTP, failed SRTP, malformed
    std::uint64_t sendErrors = 0;  // the socket refused a datagram
  };

  static constexpr std::size_t kMaxDatagram = 1500;
  static constexpr std::size_t kSrtpOverhead = 4 + 16;  // SRTCP index + the largest tag

  // Opens and binds the socket to `source` (a loopback address, any port). Throws
  // boost::system::system_error if it cannot.
  BotTransport(boost::asio::io_context& io, const boost::asio::ip::address_v4& source,
               std::shared_ptr<const DtlsCertificate> certificate, const Limits& limits,
               Listener& listener);
  ~BotTransport() override;
  BotTransport(const BotTransport&) = delete;
  BotTransport& operator=(const BotTransport&) = delete;

  const IceCredentials& localIce() const { return localIce_; }
  // "sha-256 AB:CD:..."
  const std::string& fingerprint() const { return certificate_->fingerprint(); }

  // The server's side from its answer; starts the checks.
  void start(const boost::asio::ip::udp::endpoint& remote, std::string remoteUfrag,
             std::string remotePassword, std::string remoteFingerprint, Clock::time_point now);
  // ICE checks and consent, DTLS retransmissions; call every few tens of ms.
  void tick(Clock::time_point now);
  bool sendRtp(std::span<std::uint8_t> buffer, std::size_t length);
  bool sendRtcp(std::span<std::uint8_t> buffer, std::size_t length);
  void close();

  State state() const { return state_; }
  const Counters& counters() const { return counters_; }

 private:
  void receiveLoop();
  void onDatagram(std::span<std::uint8_t> datagram, Clock::time_point now);
  void sendDatagram(std::span<const std::uint8_t> datagram);
  void setState(State state, std::string_view why = {});
  // DtlsTransport::Listener
  void onDtlsSend(std::span<const std::uint8_t> datagram) override { sendDatagram(datagram); }
  void onDtlsStateChanged(DtlsTransport::State state) override;
  void onDtlsData(std::span<const std::uint8_t>) override {}

  boost::asio::ip::udp::socket socket_;
  std::shared_ptr<const DtlsCertificate> certificate_;
  const Limits& limits_;
  Listener& listener_;
  IceCredentials localIce_;
  boost::asio::ip::udp::endpoint remote_;
  boost::asio::ip::udp::endpoint from_;
  std::unique_ptr<IceClient> ice_;
  std::unique_ptr<DtlsTransport> dtls_;
  std::unique_ptr<SrtpSession> srtp_;
  State state_ = State::New;
  std::array<std::uint8_t, kMaxDatagram + kSrtpOverhead> buffer_{};
  Counters counters_;
};

}  // namespace aerie::bot
