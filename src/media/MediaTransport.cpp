#include "media/MediaTransport.hpp"

#include <array>

#include "media/PacketDemux.hpp"

namespace aerie {

const char* MediaTransport::toString(State state) {
  switch (state) {
    case State::New:
      return "new";
    case State::Connecting:
      return "connecting";
    case State::Connected:
      return "connected";
    case State::Closed:
      return "closed";
  }
  return "?";
}

MediaTransport::MediaTransport(IceCredentials local,
                               std::shared_ptr<const DtlsCertificate> certificate,
                               const Limits& limits, Sender& sender, Listener& listener,
                               Clock::time_point now)
    : certificate_(std::move(certificate)),
      limits_(limits),
      sender_(sender),
      listener_(listener),
      ice_(std::in_place, std::move(local), limits, now, static_cast<IceLiteAgent::Listener*>(this)) {}

MediaTransport::~MediaTransport() = default;

void MediaTransport::setRemote(std::string ufrag, std::string fingerprint, Clock::time_point now) {
  if (state_ == State::Closed) return;
  ice_->setRemoteUfrag(std::move(ufrag));
  if (dtls_) return;  // a renegotiation keeps the transport (an ICE restart is not supported yet)
  dtls_ = std::make_unique<DtlsTransport>(DtlsTransport::Role::Server, certificate_,
                                          std::move(fingerprint), limits_,
                                          static_cast<DtlsTransport::Listener&>(*this));
  dtls_->start(now);
}

void MediaTransport::restartIce(IceCredentials local, std::string remoteUfrag, Clock::time_point now) {
  if (state_ == State::Closed) return;
  if (ice_->nominated()) lastChecked_ = ice_->nominated();
  ice_.emplace(std::move(local), limits_, now, static_cast<IceLiteAgent::Listener*>(this));
  ice_->setRemoteUfrag(std::move(remoteUfrag));
}

const std::optional<stun::Address>& MediaTransport::destination() const {
  return ice_->nominated() ? ice_->nominated() : lastChecked_;
}

void MediaTransport::receive(std::span<std::uint8_t> datagram, const stun::Address& from,
                             Clock::time_point now) {
  if (state_ == State::Closed) return;
  switch (PacketDemux::classify(datagram)) {
    case PacketKind::Stun: {
      const std::string_view text(reinterpret_cast<const char*>(datagram.data()), datagram.size());
      auto message = stun::StunCodec::parse(text);
      if (!message) {
        ++counters_.dropped;
        return;
      }
      std::array<std::uint8_t, IceLiteAgent::kMaxResponseBytes> out{};
      auto result = ice_->handleRequest(*message, from, now, out);
      if (result.verdict != IceLiteAgent::Verdict::Respond) return;
      if (!listener_.onAddressChecked(*this, from)) {
        ++counters_.refusedChecks;
        return;
      }
      lastChecked_ = from;
      sender_.sendDatagram(result.response, from);
      return;
    }
    case PacketKind::Dtls:
      if (!dtls_) {
        ++counters_.dropped;
        return;
      }
      if (!ice_->nominated()) lastChecked_ = from;
      dtls_->feed(datagram);
      feedSctp();
      return;
    case PacketKind::Rtp: {
      if (!srtp_) {
        ++counters_.dropped;
        return;
      }
      auto length = srtp_->unprotectRtp(datagram, datagram.size());
      if (!length) {
        ++counters_.dropped;
        return;
      }
      auto packet = RtpPacket::parse(datagram.first(*length));
      if (!packet) {
        ++counters_.dropped;
        return;
      }
      ++counters_.rtpIn;
      listener_.onRtp(*this, *packet);
      return;
    }
    case PacketKind::Rtcp: {
      if (!srtp_) {
        ++counters_.dropped;
        return;
      }
      auto length = srtp_->unprotectRtcp(datagram, datagram.size());
      if (!length) {
        ++counters_.dropped;
        return;
      }
      ++counters_.rtcpIn;
      listener_.onRtcp(*this, datagram.first(*length));
      return;
    }
    case PacketKind::Unknown:
      ++counters_.dropped;
      return;
  }
}

bool MediaTransport::sendRtp(std::span<std::uint8_t> buffer, std::size_t length) {
  const auto& to = destination();
  if (state_ != State::Connected || !srtp_ || !to) return false;
  auto protectedLength = srtp_->protectRtp(buffer, length);
  if (!protectedLength) return false;
  ++counters_.rtpOut;
  sender_.sendDatagram(buffer.first(*protectedLength), *to);
  return true;
}

bool MediaTransport::sendRtcp(std::span<std::uint8_t> buffer, std::size_t length) {
  const auto& to = destination();
  if (state_ != State::Connected || !srtp_ || !to) return false;
  auto protectedLength = srtp_->protectRtcp(buffer, length);
  if (!protectedLength) return false;
  ++counters_.rtcpOut;
  sender_.sendDatagram(buffer.first(*protectedLength), *to);
  return true;
}

void MediaTransport::tick(Clock::time_point now) {
  if (state_ == State::Closed) return;
  ice_->tick(now);
  if (dtls_ && state_ != State::Closed) dtls_->tick(now);
  if (sctp_ && state_ != State::Closed) sctp_->tick();
}

void MediaTransport::enableDataChannels() {
  dataChannels_ = true;
  if (state_ == State::Connected) startSctp();
}

void MediaTransport::startSctp() {
  if (sctp_ || !dataChannels_) return;
  sctp_ = std::make_unique<SctpAssociation>(limits_, static_cast<SctpAssociation::Listener&>(*this));
  sctp_->start();
}

void MediaTransport::feedSctp() {
  if (state_ == State::Connected) startSctp();
  if (sctpInbox_.empty()) return;
  auto inbox = std::move(sctpInbox_);
  sctpInbox_.clear();
  for (const auto& packet : inbox) {
    if (sctp_) sctp_->receive(packet);
  }
}

bool MediaTransport::sendData(std::uint16_t stream, bool binary, std::span<const std::uint8_t> data) {
  return sctp_ && state_ == State::Connected && sctp_->send(stream, binary, data);
}

void MediaTransport::close() {
  if (state_ == State::Closed) return;
  if (sctp_) sctp_->close();
  if (dtls_) dtls_->close();
  ice_->close();
  setState(State::Closed);
}

void MediaTransport::onIceStateChanged(IceLiteAgent::State state) {
  if (state == IceLiteAgent::State::Closed) {
    if (dtls_) dtls_->close();
    return setState(State::Closed);
  }
  if (state == IceLiteAgent::State::Connected && state_ == State::New) setState(State::Connecting);
}

void MediaTransport::onIceNominated(const stun::Address&) {}

void MediaTransport::onDtlsSend(std::span<const std::uint8_t> datagram) {
  const auto& to = destination();
  if (to) sender_.sendDatagram(datagram, *to);
}

void MediaTransport::onDtlsStateChanged(DtlsTransport::State state) {
  switch (state) {
    case DtlsTransport::State::Connected:
      srtp_ = SrtpSession::fromDtls(dtls_->srtpKeys(), DtlsTransport::Role::Server,
                                    limits_.maxSrtpStreamsPerDirection);
      // No SRTP profile agreed (a data-channel-only client): media cannot flow, data can.
      // The association starts after the DTLS call that got here returns (feedSctp).
      return setState(State::Connected);
    case DtlsTransport::State::Failed:
    case DtlsTransport::State::Closed:
      ice_->close();
      return setState(State::Closed);
    case DtlsTransport::State::New:
    case DtlsTransport::State::Connecting:
      return;
  }
}

void MediaTransport::onDtlsData(std::span<const std::uint8_t> data) {
  if (!dataChannels_) {
    ++counters_.dropped;
    return;
  }
  sctpInbox_.emplace_back(data.begin(), data.end());
}

void MediaTransport::onSctpSend(std::span<const std::uint8_t> packet) {
  if (dtls_) dtls_->send(packet);
}

void MediaTransport::onSctpState(SctpAssociation::State) {}

void MediaTransport::onChannelOpen(std::uint16_t stream, std::string_view label) {
  listener_.onChannelOpen(*this, stream, label);
}

void MediaTransport::onChannelMessage(std::uint16_t stream, bool binary, std::span<const std::uint8_t> data) {
  listener_.onChannelMessage(*this, stream, binary, data);
}

void MediaTransport::onChannelClosed(std::uint16_t stream) { listener_.onChannelClosed(*this, stream); }

void MediaTransport::setState(State state) {
  if (state_ == state || state_ == State::Closed) return;
  state_ = state;
  listener_.onTransportState(*this, state);
}

}  // namespace aerie
