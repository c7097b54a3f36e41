#include "BotTransport.hpp"

#include <boost/asio/socket_base.hpp>

#include "codec/StunMessage.hpp"
#include "media/PacketDemux.hpp"

namespace aerie::bot {

namespace asio = boost::asio;
using udp = asio::ip::udp;

const char* BotTransport::toString(State state) {
  switch (state) {
    case State::New:
      return "new";
    case State::Checking:
      return "checking";
    case State::Handshaking:
      return "handshaking";
    case State::Connected:
      return "connected";
    case State::Failed:
      return "failed";
    case State::Closed:
      return "closed";
  }
  return "?";
}

BotTransport::BotTransport(asio::io_context& io, const asio::ip::address_v4& source,
                           std::shared_ptr<const DtlsCertificate> certificate, const Limits& limits,
                           Listener& listener)
    : socket_(io, udp::endpoint(source, 0)),
      certificate_(std::move(certificate)),
      limits_(limits),
      listener_(listener),
      localIce_(IceCredentials::random()) {
  // Room for a burst: every other publisher's packets of one frame can land at once.
  boost::system::error_code ec;
  socket_.set_option(asio::socket_base::receive_buffer_size(1 << 20), ec);
  socket_.non_blocking(true, ec);
}

BotTransport::~BotTransport() = default;

void BotTransport::start(const udp::endpoint& remote, std::string remoteUfrag, std::string remotePassword,
                         std::string remoteFingerprint, Clock::time_point now) {
  if (state_ != State::New) return;
  remote_ = remote;
  ice_ = std::make_unique<IceClient>(localIce_, std::move(remoteUfrag), std::move(remotePassword));
  dtls_ = std::make_unique<DtlsTransport>(DtlsTransport::Role::Client, certificate_, std::move(remoteFingerprint),
                                          limits_, static_cast<DtlsTransport::Listener&>(*this));
  setState(State::Checking);
  receiveLoop();
  tick(now);
}

void BotTransport::tick(Clock::time_point now) {
  if (state_ == State::New || state_ == State::Failed || state_ == State::Closed) return;
  ice_->tick(now);
  if (ice_->state() == IceClient::State::Failed) {
    return setState(State::Failed, "no ICE response from the server's candidate");
  }
  if (ice_->due(now)) {
    std::array<std::uint8_t, IceClient::kMaxRequestBytes> out{};
    sendDatagram(ice_->request(out, now));
  }
  if (dtls_->state() == DtlsTransport::State::Connecting) dtls_->tick(now);
}

void BotTransport::receiveLoop() {
  socket_.async_receive_from(asio::buffer(buffer_), from_, [this](const boost::system::error_code& ec, std::size_t n) {
    if (ec == asio::error::operation_aborted || !socket_.is_open()) return;
    const auto now = Clock::now();
    if (!ec) onDatagram(std::span(buffer_.data(), n), now);
    // Drain what else the kernel holds before waiting again.
    for (int i = 0; i < 64 && socket_.is_open(); ++i) {
      boost::system::error_code rec;
      const std::size_t m = socket_.receive_from(asio::buffer(buffer_), from_, 0, rec);
      if (rec) break;
      onDatagram(std::span(buffer_.data(), m), Clock::now());
    }
    if (socket_.is_open()) receiveLoop();
  });
}

void BotTransport::onDatagram(std::span<std::uint8_t> datagram, Clock::time_point now) {
  ++counters_.datagramsIn;
  if (from_ != remote_) {
    ++counters_.dropped;
    return;
  }
  switch (PacketDemux::classify(datagram)) {
    case PacketKind::Stun: {
      const std::string_view text(reinterpret_cast<const char*>(datagram.data()), datagram.size());
      const auto message = stun::StunCodec::parse(text);
      if (!message || !ice_->handle(*message, now)) return;
      if (state_ == State::Checking) {
        setState(State::Handshaking);
        dtls_->start(now);
      }
      return;
    }
    case PacketKind::Dtls:
      dtls_->feed(datagram);
      return;
    case PacketKind::Rtp: {
      const auto length = srtp_ ? srtp_->unprotectRtp(datagram, datagram.size()) : std::nullopt;
      auto packet = length ? RtpPacket::parse(datagram.first(*length)) : std::nullopt;
      if (!packet) {
        ++counters_.dropped;
        return;
      }
      ++counters_.rtpIn;
      listener_.onRtp(*packet, now);
      return;
    }
    case PacketKind::Rtcp: {
      const auto length = srtp_ ? srtp_->unprotectRtcp(datagram, datagram.size()) : std::nullopt;
      if (!length) {
        ++counters_.dropped;
        return;
      }
      ++counters_.rtcpIn;
      listener_.onRtcp(datagram.first(*length));
      return;
    }
    case PacketKind::Unknown:
      ++counters_.dropped;
      return;
  }
}

void BotTransport::sendDatagram(std::span<const std::uint8_t> datagram) {
  if (datagram.empty() || !socket_.is_open()) return;
  boost::system::error_code ec;
  socket_.send_to(asio::buffer(datagram.data(), datagram.size()), remote_, 0, ec);
  if (ec) ++counters_.sendErrors;
}

bool BotTransport::sendRtp(std::span<std::uint8_t> buffer, std::size_t length) {
  if (state_ != State::Connected || !srtp_) return false;
  const auto n = srtp_->protectRtp(buffer, length);
  if (!n) return false;
  ++counters_.rtpOut;
  counters_.bytesOut += *n;
  sendDatagram(buffer.first(*n));
  return true;
}

bool BotTransport::sendRtcp(std::span<std::uint8_t> buffer, std::size_t length) {
  if (state_ != State::Connected || !srtp_) return false;
  const auto n = srtp_->protectRtcp(buffer, length);
  if (!n) return false;
  ++counters_.rtcpOut;
  sendDatagram(buffer.first(*n));
  return true;
}

void BotTransport::close() {
  if (state_ == State::Closed) return;
  if (dtls_ && dtls_->state() == DtlsTransport::State::Connected) dtls_->close();
  boost::system::error_code ec;
  socket_.close(ec);
  setState(State::Closed);
}

void BotTransport::onDtlsStateChanged(DtlsTransport::State state) {
  switch (state) {
    case DtlsTransport::State::Connected:
      srtp_ = SrtpSession::fromDtls(dtls_->srtpKeys(), DtlsTransport::Role::Client);
      if (!srtp_) return setState(State::Failed, "DTLS agreed no SRTP profile");
      return setState(State::Connected);
    case DtlsTransport::State::Failed:
      return setState(State::Failed, "DTLS: " + dtls_->failure());
    case DtlsTransport::State::Closed:
      return setState(State::Closed, "DTLS closed by the server");
    case DtlsTransport::State::New:
    case DtlsTransport::State::Connecting:
      return;
  }
}

void BotTransport::setState(State state, std::string_view why) {
  if (state_ == state || state_ == State::Failed || state_ == State::Closed) return;
  state_ = state;
  listener_.onTransportState(state, why);
}

}  // namespace aerie::bot
