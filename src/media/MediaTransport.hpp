#pragma once
// One client's transport on the media port: ICE-lite (IceLiteAgent), then DTLS as the passive
// side (DtlsTransport), then SRTP (SrtpSession) for everything the client and the server send
// each other in one BUNDLE. Datagrams come in through receive() (already routed here by the
// media port's demultiplexer); RTP and RTCP go up decrypted, in place, to the Listener; sendRtp
// and sendRtcp encrypt in place in the caller's buffer and hand the datagram to the Sender,
// addressed to the nominated remote. Data channels run on an SctpAssociation over the DTLS
// application data once the client's SDP asked for them (enableDataChannels). Pure: no socket,
// no clock of its own. Not thread-safe: a transport lives on its room's loop.
#include <chrono>
#include <cstddef>
#include <cstdint>
#include <memory>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "codec/RtpPacket.hpp"
#include "codec/StunMessage.hpp"
#include "core/Limits.hpp"
#include "media/DtlsTransport.hpp"
#include "media/IceCredentials.hpp"
#include "media/IceLiteAgent.hpp"
#include "media/SctpAssociation.hpp"
#include "media/SrtpSession.hpp"

namespace aerie {

class MediaTransport : private IceLiteAgent::Listener,
                       private DtlsTransport::Listener,
                       private SctpAssociation::Listener {
 public:
  using Clock = std::chrono::steady_clock;

  // New: waiting for the client's checks. Connecting: ICE up, DTLS in progress. Connected: SRTP
  // keys in place. Closed: ICE consent lost, DTLS failed or closed, or close(); final.
  enum class State : std::uint8_t { New, Connecting, Connected, Closed };
  static const char* toString(State state);

  class Sender {
   public:
    virtual ~Sender() = default;
    virtual void sendDatagram(std::span<const std::uint8_t> datagram, const stun::Address& to) = 0;
  };

  class Listener {
   public:
    virtual ~Listener() = default;
    virtual void onTransportState(MediaTransport& t, State state) = 0;
    // A decrypted RTP packet, a view into the receive buffer (valid during the call; the
    // listener may rewrite it in place).
    virtual void onRtp(MediaTransport& t, RtpPacket& packet) = 0;
    // A decrypted RTCP compound.
    virtual void onRtcp(MediaTransport& t, std::span<std::uint8_t> compound) = 0;
    // An address passed ICE for this transport: the demultiplexer maps it here from now on.
    // False refuses it (a quota): the check gets no answer.
    virtual bool onAddressChecked(MediaTransport& t, const stun::Address& from) = 0;
    // Data channels (see SctpAssociation): one the client opened, a whole message on it (valid
    // during the call), and its close.
    virtual void onChannelOpen(MediaTransport&, std::uint16_t /*stream*/, std::string_view /*label*/) {}
    virtual void onChannelMessage(MediaTransport&, std::uint16_t /*stream*/, bool /*binary*/,
                                  std::span<const std::uint8_t> /*data*/) {}
    virtual void onChannelClosed(MediaTransport&, std::uint16_t /*stream*/) {}
  };

  struct Counters {
    std::uint64_t rtpIn = 0;
    std::uint64_t rtcpIn = 0;
    std::uint64_t rtpOut = 0;
    std::uint64_t rtcpOut = 0;
    std::uint64_t dropped = 0;  // before SRTP was up, malformed, or failed SRTP
    std::uint64_t refusedChecks = 0;  // valid checks from an address the listener refused
  };

  MediaTransport(IceCredentials local, std::shared_ptr<const DtlsCertificate> certificate,
                 const Limits& limits, Sender& sender, Listener& listener, Clock::time_point now);
  ~MediaTransport() override;
  MediaTransport(const MediaTransport&) = delete;
  MediaTransport& operator=(const MediaTransport&) = delete;

  // The client's side from its SDP: its ufrag and its DTLS fingerprint ("sha-256 AB:..."). The
  // DTLS server starts waiting for the ClientHello.
  void setRemote(std::string ufrag, std::string fingerprint, Clock::time_point now);
  // An ICE restart (RFC 8445 section 9): new local credentials, the client's new ufrag. DTLS and
  // SRTP go on; media keeps flowing to the last checked address until the new checks nominate.
  void restartIce(IceCredentials local, std::string remoteUfrag, Clock::time_point now);
  // The client's SDP has an SCTP section: the association starts once DTLS is up.
  void enableDataChannels();
  // A message on a data channel the client opened; false if it is not open or SCTP refused it.
  bool sendData(std::uint16_t stream, bool binary, std::span<const std::uint8_t> data);

  // A datagram from `from`, in a buffer the transport may decrypt in place.
  void receive(std::span<std::uint8_t> datagram, const stun::Address& from, Clock::time_point now);
  // Encrypts buffer[0, length) in place (the buffer needs srtpOverhead() bytes more) and sends
  // it. False before Connected or when SRTP refuses.
  bool sendRtp(std::span<std::uint8_t> buffer, std::size_t length);
  bool sendRtcp(std::span<std::uint8_t> buffer, std::size_t length);
  static constexpr std::size_t kSrtpOverhead = 4 + 16;  // SRTCP index + the largest tag

  void tick(Clock::time_point now);
  void close();

  State state() const { return state_; }
  const IceCredentials& local() const { return ice_->local(); }
  const std::optional<stun::Address>& remote() const { return ice_->nominated(); }
  const Counters& counters() const { return counters_; }
  const IceLiteAgent& ice() const { return *ice_; }
  const DtlsTransport* dtls() const { return dtls_.get(); }
  const SctpAssociation* sctp() const { return sctp_.get(); }

 private:
  // IceLiteAgent::Listener
  void onIceStateChanged(IceLiteAgent::State state) override;
  void onIceNominated(const stun::Address& remote) override;
  // DtlsTransport::Listener
  void onDtlsSend(std::span<const std::uint8_t> datagram) override;
  void onDtlsStateChanged(DtlsTransport::State state) override;
  void onDtlsData(std::span<const std::uint8_t> data) override;
  // SctpAssociation::Listener
  void onSctpSend(std::span<const std::uint8_t> packet) override;
  void onSctpState(SctpAssociation::State state) override;
  void onChannelOpen(std::uint16_t stream, std::string_view label) override;
  void onChannelMessage(std::uint16_t stream, bool binary, std::span<const std::uint8_t> data) override;
  void onChannelClosed(std::uint16_t stream) override;

  void startSctp();
  // SCTP packets that arrived during a DTLS call, fed to the association after it returns (the
  // association answers through DTLS, which must not be re-entered).
  void feedSctp();

  void setState(State state);
  // Where datagrams go: the nominated address, or the last checked one before a nomination.
  const std::optional<stun::Address>& destination() const;

  std::shared_ptr<const DtlsCertificate> certificate_;
  const Limits& limits_;
  Sender& sender_;
  Listener& listener_;
  std::optional<IceLiteAgent> ice_;  // replaced on an ICE restart
  std::unique_ptr<DtlsTransport> dtls_;
  std::unique_ptr<SrtpSession> srtp_;
  bool dataChannels_ = false;
  std::unique_ptr<SctpAssociation> sctp_;
  std::vector<std::vector<std::uint8_t>> sctpInbox_;
  State state_ = State::New;
  // Where DTLS answers go before a nomination: the address of the last valid check.
  std::optional<stun::Address> lastChecked_;
  Counters counters_;
};

}  // namespace aerie
