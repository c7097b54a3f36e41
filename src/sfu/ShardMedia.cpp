#include "sfu/ShardMedia.hpp"

#include <algorithm>
#include <array>
#include <cctype>
#include <boost/asio/io_context.hpp>
#include <boost/asio/post.hpp>
#include <optional>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/ip/udp.hpp>
#include <boost/asio/steady_timer.hpp>
#include <stdexcept>
#include <sys/socket.h>
#include <unordered_map>
#include <vector>

#include "codec/RtpPacket.hpp"
#include "codec/StunMessage.hpp"
#include "core/Log.hpp"
#include "media/AddressQuota.hpp"
#include "media/DtlsCertificate.hpp"
#include "media/IceCredentials.hpp"
#include "media/MediaTransport.hpp"
#include "media/PacketDemux.hpp"
#include "media/ReceiveStatistics.hpp"
#include "media/RetransmissionBuffer.hpp"
#include "media/SctpStack.hpp"
#include "media/TwccRecorder.hpp"
#include "sfu/ActiveSpeakers.hpp"
#include "sfu/AddressKey.hpp"
#include "sfu/BandwidthControl.hpp"
#include "sfu/ClientTable.hpp"
#include "sfu/DataRelay.hpp"
#include "sfu/DatagramBuffer.hpp"
#include "sfu/IceTcpLink.hpp"
#include "sfu/KeyframeRequester.hpp"
#include "sfu/ReceiveBatch.hpp"
#include "sfu/RtcpResponder.hpp"
#include "sfu/RtpForwarder.hpp"
#include "sfu/SendBatch.hpp"
#include "sfu/ShardRecorder.hpp"
#include "sfu/SubscriberBandwidth.hpp"

namespace aerie {

namespace asio = boost::asio;
using udp = asio::ip::udp;
using tcp = asio::ip::tcp;
using Clock = std::chrono::steady_clock;

namespace {

constexpr auto kTickInterval = std::chrono::milliseconds(100);  // transport-cc feedback
constexpr std::size_t kRetransmissionSlots = 256;

stun::Address addressOf(const asio::ip::address& ip, std::uint16_t port) {
  stun::Address a;
  a.port = port;
  if (ip.is_v4()) {
    const auto b = ip.to_v4().to_bytes();
    std::copy(b.begin(), b.end(), a.bytes.begin());
  } else {
    a.ipv6 = true;
    const auto b = ip.to_v6().to_bytes();
    std::copy(b.begin(), b.end(), a.bytes.begin());
  }
  return a;
}

udp::endpoint endpointOf(const stun::Address& a) {
  if (!a.ipv6) {
    asio::ip::address_v4::bytes_type b;
    std::copy(a.bytes.begin(), a.bytes.begin() + 4, b.begin());
    return {asio::ip::address_v4(b), a.port};
  }
  asio::ip::address_v6::bytes_type b;
  std::copy(a.bytes.begin(), a.bytes.end(), b.begin());
  return {asio::ip::address_v6(b), a.port};
}

}  // namespace

struct ShardMedia::Impl : MediaTransport::Sender, IceTcpLink::Listener {
  // What a client's transport tells the shard, to the part of it that handles it.
  struct ClientEvents final : MediaTransport::Listener {
    ClientEvents(Impl& i, MediaClient& c) : impl(i), client(c) {}
    Impl& impl;
    MediaClient& client;

    void onChannelOpen(MediaTransport&, std::uint16_t stream, std::string_view) override {
      if (!client.mainChannel) client.mainChannel = stream;
    }
    void onChannelClosed(MediaTransport&, std::uint16_t stream) override {
      if (client.mainChannel == stream) client.mainChannel.reset();
    }
    void onChannelMessage(MediaTransport&, std::uint16_t, bool binary,
                          std::span<const std::uint8_t> data) override {
      impl.relay.relay(client, binary, data);
    }
    void onTransportState(MediaTransport&, MediaTransport::State state) override {
      log::info("media", "transport", {{"sid", client.sid}, {"state", MediaTransport::toString(state)}});
      if (state == MediaTransport::State::Closed && !client.closing) impl.lost(client.roomKey, client.sid);
    }
    void onRtp(MediaTransport&, RtpPacket& packet) override { impl.forwarder.forward(client, packet, impl.arrivalUs); }
    void onRtcp(MediaTransport&, std::span<std::uint8_t> compound) override {
      impl.rtcp.handle(client, compound, impl.arrivalUs);
    }
    bool onAddressChecked(MediaTransport&, const stun::Address& from) override {
      return impl.addressChecked(client, from);
    }
  };

  // A new address passed ICE for `client`: the first check from it for this transport counts
  // against the address's quota, unless the transport already holds that IP (another port).
  bool addressChecked(MediaClient& client, const stun::Address& from) {
    const AddressKey key = keyOf(from);
    auto& addresses = client.addresses;
    if (std::find(addresses.begin(), addresses.end(), key) == addresses.end()) {
      bool sameIp = false;
      for (const auto& k : addresses) sameIp = sameIp || (k.bytes == key.bytes && k.ipv6 == key.ipv6);
      if (!sameIp && !quota.acquire(from)) {
        counters.refusedAddresses.fetch_add(1, std::memory_order_relaxed);
        return false;
      }
      if (!sameIp) client.ips.push_back(from);
      addresses.push_back(key);
    }
    auto [it, inserted] = byAddress.emplace(key, &client);
    if (!inserted) it->second = &client;
    return true;
  }

  Impl(asio::io_context& l, unsigned s, const MediaOptions& o, const Limits& lim)
      : loop(l), shard(s), options(o), limits(lim), socket(l), acceptor(l), timer(l), quota(lim.maxTransportsPerAddress) {}

  // MediaTransport::Sender
  void sendDatagram(std::span<const std::uint8_t> datagram, const stun::Address& to) override {
    if (!tcpLinks.empty()) {
      auto link = tcpLinks.find(keyOf(to));
      if (link != tcpLinks.end()) return link->second->send(datagram);
    }
    if (batch->holds(datagram.data())) {
      if (batch->add(datagram.size(), endpointOf(to))) batch->flush();
      return;
    }
    boost::system::error_code ec;
    socket.send_to(asio::buffer(datagram.data(), datagram.size()), endpointOf(to), 0, ec);
  }

  void acceptLoop() {
    acceptor.async_accept([this](const boost::system::error_code& ec, tcp::socket s) {
      if (ec == asio::error::operation_aborted || !acceptor.is_open()) return;
      if (!ec) {
        boost::system::error_code rec;
        const auto remote = s.remote_endpoint(rec);
        if (!rec) {
          s.set_option(tcp::no_delay(true), rec);
          auto link = std::make_shared<IceTcpLink>(*this, std::move(s), addressOf(remote.address(), remote.port()));
          tcpLinks[keyOf(link->address())] = link;
          counters.tcpConnections.fetch_add(1, std::memory_order_relaxed);
          link->read();
        }
      }
      acceptLoop();
    });
  }

  // IceTcpLink::Listener
  bool onTcpPacket(std::span<std::uint8_t> packet, const stun::Address& source, bool routed) override {
    return route(packet, source, routed);
  }
  void onTcpDropped() override { counters.tcpDropped.fetch_add(1, std::memory_order_relaxed); }
  void onTcpClosed(IceTcpLink& link) override {
    auto it = tcpLinks.find(keyOf(link.address()));
    if (it != tcpLinks.end() && it->second.get() == &link) tcpLinks.erase(it);
  }

  void receiveLoop() {
    socket.async_wait(udp::socket::wait_read, [this](const boost::system::error_code& ec) {
      if (ec == asio::error::operation_aborted || !socket.is_open()) return;
      constexpr std::size_t kMaxPerWake = 64;
      for (std::size_t total = 0; total < kMaxPerWake && socket.is_open();) {
        const std::size_t n = received->receive(socket.native_handle());
        if (n == 0) break;
        total += n;
        // One clock read per batch, as soon as it is read: every datagram of it was in the
        // socket's queue by then, so this is the latest it can have arrived. (A read per
        // datagram would add the time taken by the datagrams before it in the batch, aerie's own
        // delay, to what the publisher's transport-cc sees as the network's.)
        const auto now = Clock::now();
        for (std::size_t k = 0; k < n && socket.is_open(); ++k) onDatagram(k, now);
      }
      receiveLoop();
    });
  }

  void onDatagram(std::size_t k, Clock::time_point now) { route(received->datagram(k), received->source(k), false, now); }

  // A datagram (UDP, or one framed packet of an ICE-TCP connection) to its transport: by the
  // sender's address once it passed ICE, else by the ICE username of a check. False if it went
  // nowhere. `now`: when it arrived.
  bool route(std::span<std::uint8_t> datagram, const stun::Address& source, bool known) { return route(datagram, source, known, Clock::now()); }
  bool route(std::span<std::uint8_t> datagram, const stun::Address& source, bool known, Clock::time_point now) {
    counters.datagramsIn.fetch_add(1, std::memory_order_relaxed);
    arrivalUs = std::chrono::duration_cast<std::chrono::microseconds>(now.time_since_epoch()).count();
    auto it = byAddress.find(keyOf(source));
    if (it != byAddress.end()) {
      it->second->transport->receive(datagram, source, now);
      return true;
    }
    // Not known yet: only a check with our ufrag may introduce an address.
    if (PacketDemux::classify(datagram) != PacketKind::Stun) {
      if (!known) counters.unrouted.fetch_add(1, std::memory_order_relaxed);
      return false;
    }
    const std::string_view text(reinterpret_cast<const char*>(datagram.data()), datagram.size());
    auto message = stun::StunCodec::parse(text);
    const stun::Attribute* user = message ? message->find(stun::Username) : nullptr;
    if (user == nullptr) {
      counters.unrouted.fetch_add(1, std::memory_order_relaxed);
      return false;
    }
    const std::string_view localUfrag = user->value.substr(0, user->value.find(':'));
    auto entry = byUfrag.find(std::string(localUfrag));
    if (entry == byUfrag.end()) {
      counters.unrouted.fetch_add(1, std::memory_order_relaxed);
      return false;
    }
    entry->second->transport->receive(datagram, source, now);
    return true;
  }

  // A transport closed by itself (in the middle of a receive or a tick): the entry goes, and
  // the server peer hears of it, once the loop is back from here.
  void lost(const std::string& roomKey, const std::string& sid) {
    counters.transportsLost.fetch_add(1, std::memory_order_relaxed);
    asio::post(loop, [this, roomKey, sid] {
      MediaClient* entry = clients.find(roomKey, sid);
      if (entry == nullptr || entry->transport->state() != MediaTransport::State::Closed) return;
      remove(roomKey, sid);
      if (events != nullptr) events->onTransportLost(roomKey, sid);
    });
  }

  void remove(std::string_view roomKey, std::string_view sid) {
    auto it = clients.byKey.find(ClientTable::key(roomKey, sid));
    if (it == clients.byKey.end()) return;
    MediaClient* entry = it->second.get();
    recorder.leave(*entry);
    entry->closing = true;
    entry->transport->close();
    byUfrag.erase(entry->transport->local().ufrag);
    for (const auto& ip : entry->ips) quota.release(ip);
    for (const auto& key : entry->addresses) {
      auto a = byAddress.find(key);
      if (a != byAddress.end() && a->second == entry) byAddress.erase(a);
      if (auto link = tcpLinks.find(key); link != tcpLinks.end()) link->second->close();
    }
    clients.withdraw(*entry);
    const std::string room = entry->roomKey;
    clients.byKey.erase(it);
    counters.transports.fetch_sub(1, std::memory_order_relaxed);
    bool roomLeft = false;
    for (const auto& [key, e] : clients.byKey) roomLeft = roomLeft || e->roomKey == room;
    if (!roomLeft) speakers.forget(room);
  }

  void tickLoop() {
    timer.expires_after(kTickInterval);
    timer.async_wait([this](const boost::system::error_code& ec) {
      if (ec) return;
      const auto now = Clock::now();
      SctpStack::instance().handleTimers(now);
      for (auto& [key, entry] : clients.byKey) entry->transport->tick(now);
      bandwidth.sendTransportFeedback();
      bandwidth.allocateLayers();
      recorder.tick((ticks + 1) % 10 == 0, events);
      if (++ticks % 10 == 0) {
        bandwidth.sendBitrateCaps();
        rtcp.sendReceiverReports();
      }
      if (ticks % 6 == 0) speakers.pick(events);
      tickLoop();
    });
  }

  asio::io_context& loop;
  unsigned shard;
  MediaOptions options;
  const Limits& limits;
  Counters counters;
  udp::socket socket;
  std::unique_ptr<SendBatch> batch = std::make_unique<SendBatch>(socket);
  tcp::acceptor acceptor;  // passive ICE-TCP on the same port number
  std::unordered_map<AddressKey, std::shared_ptr<IceTcpLink>, AddressKey::Hash> tcpLinks;
  asio::steady_timer timer;
  // The UDP socket's datagrams, read a batch at a time (its buffers made once, here).
  std::unique_ptr<ReceiveBatch> received = std::make_unique<ReceiveBatch>(kMaxDatagram + MediaTransport::kSrtpOverhead);
  std::unordered_map<std::string, MediaClient*> byUfrag;
  std::unordered_map<AddressKey, MediaClient*, AddressKey::Hash> byAddress;
  ClientTable clients;
  KeyframeRequester keyframes{clients, counters};
  ShardRecorder recorder{clients, keyframes, counters, limits};
  RtpForwarder forwarder{clients, *batch, keyframes, counters};
  BandwidthControl bandwidth{clients, counters, limits};
  RtcpResponder rtcp{clients, keyframes, bandwidth, counters};
  DataRelay relay{clients, counters, limits};
  ActiveSpeakers speakers{clients};
  AddressQuota quota;
  unsigned ticks = 0;
  std::int64_t arrivalUs = 0;  // of the datagram being handled
  MediaEvents* events = nullptr;
};

ShardMedia::ShardMedia(asio::io_context& loop, unsigned shard, const MediaOptions& options,
                       const Limits& limits)
    : impl_(std::make_unique<Impl>(loop, shard, options, limits)) {}

ShardMedia::~ShardMedia() = default;

void ShardMedia::start() {
  auto& i = *impl_;
  boost::system::error_code ec;
  const auto address = asio::ip::make_address(i.options.listenHost, ec);
  if (ec) throw std::runtime_error("invalid media address '" + i.options.listenHost + "'");
  const std::uint16_t port = i.options.basePort == 0 ? 0 : static_cast<std::uint16_t>(i.options.basePort + i.shard);
  i.socket.open(address.is_v6() ? udp::v6() : udp::v4(), ec);
  if (!ec) i.socket.bind(udp::endpoint(address, port), ec);
  if (ec == asio::error::address_in_use && port != 0) {
    // Another process (or another aerie) has it: serve on a port of the system's choosing;
    // candidates carry the real port, but a firewall opened for the configured one will not
    // let media through.
    log::warn("media", "media port taken, using another",
              {{"port", std::to_string(port)}, {"shard", std::to_string(i.shard)}});
    ec.clear();
    i.socket.bind(udp::endpoint(address, 0), ec);
  }
  if (ec) {
    throw std::runtime_error("cannot listen for media on " + i.options.listenHost + ":" +
                             std::to_string(port) + " (UDP): " + ec.message());
  }
  i.socket.non_blocking(true, ec);
  // Passive ICE-TCP on the same number; without it (the number taken for TCP) media needs UDP.
  const auto bound = i.socket.local_endpoint(ec);
  i.acceptor.open(address.is_v6() ? tcp::v6() : tcp::v4(), ec);
  if (!ec) i.acceptor.set_option(tcp::acceptor::reuse_address(true), ec);
  if (!ec) i.acceptor.bind(tcp::endpoint(address, bound.port()), ec);
  if (!ec) i.acceptor.listen(asio::socket_base::max_listen_connections, ec);
  if (ec) {
    log::warn("media", "no ICE-TCP: the media port is taken for TCP",
              {{"port", std::to_string(bound.port())}, {"error", ec.message()}});
    boost::system::error_code ignored;
    i.acceptor.close(ignored);
  } else {
    i.acceptLoop();
  }
  i.receiveLoop();
  i.tickLoop();
}

void ShardMedia::stop() {
  boost::system::error_code ec;
  impl_->timer.cancel();
  impl_->socket.close(ec);
  impl_->acceptor.close(ec);
  for (auto& [key, link] : std::unordered_map(impl_->tcpLinks)) link->close();
}

std::uint16_t ShardMedia::port() const {
  boost::system::error_code ec;
  return impl_->socket.local_endpoint(ec).port();
}

const ShardMedia::Counters& ShardMedia::counters() const { return impl_->counters; }

void ShardMedia::setEvents(MediaEvents* events) { impl_->events = events; }

LocalTransport ShardMedia::transportFor(std::string_view roomKey, std::string_view sid) {
  auto& i = *impl_;
  MediaClient* entry = i.clients.find(roomKey, sid);
  if (entry == nullptr) {
    auto created = std::make_unique<MediaClient>();
    created->roomKey = std::string(roomKey);
    created->sid = std::string(sid);
    created->listener = std::make_unique<Impl::ClientEvents>(i, *created);
    created->transport = std::make_unique<MediaTransport>(
        IceCredentials::random(), DtlsCertificate::processWide(), i.limits, i, *created->listener, Clock::now());
    created->downlink = std::make_unique<SubscriberBandwidth>(std::uint64_t{i.limits.maxSubscriberBitrateKbps} * 1000);
    entry = created.get();
    i.byUfrag[entry->transport->local().ufrag] = entry;
    i.clients.byKey.emplace(ClientTable::key(roomKey, sid), std::move(created));
    i.counters.transports.fetch_add(1, std::memory_order_relaxed);
  }
  const std::string& fp = DtlsCertificate::processWide()->fingerprint();
  LocalTransport local;
  local.iceUfrag = entry->transport->local().ufrag;
  local.icePwd = entry->transport->local().password;
  local.fingerprint = fp.substr(fp.find(' ') + 1);
  local.address = i.options.publicAddress.empty() ? i.options.listenHost : i.options.publicAddress;
  local.port = port();
  if (i.acceptor.is_open()) local.tcpPort = local.port;
  local.maxDataMessageBytes = i.limits.maxDataMessageBytes;
  return local;
}

LocalTransport ShardMedia::restartIce(std::string_view roomKey, std::string_view sid,
                                     std::string_view remoteUfrag) {
  auto& i = *impl_;
  MediaClient* entry = i.clients.find(roomKey, sid);
  if (entry == nullptr) return transportFor(roomKey, sid);
  i.byUfrag.erase(entry->transport->local().ufrag);
  entry->transport->restartIce(IceCredentials::random(), std::string(remoteUfrag), Clock::now());
  i.byUfrag[entry->transport->local().ufrag] = entry;
  return transportFor(roomKey, sid);
}

void ShardMedia::remoteDescription(std::string_view roomKey, std::string_view sid,
                                   const SdpDescription& offer,
                                   const std::vector<AcceptedMedia>& accepted) {
  auto& i = *impl_;
  MediaClient* entry = i.clients.find(roomKey, sid);
  if (entry == nullptr) return;
  for (std::size_t n = 0; n < offer.media.size() && n < accepted.size(); ++n) {
    const auto& m = offer.media[n];
    const auto& a = accepted[n];
    if (a.mid.empty() || (a.kind != "audio" && a.kind != "video" && a.kind != "application")) continue;
    const std::string ufrag(offer.ufragOf(m));
    std::string fingerprint(offer.fingerprintAlgorithmOf(m));
    fingerprint += ' ';
    fingerprint += offer.fingerprintOf(m);
    entry->transport->setRemote(ufrag, fingerprint, Clock::now());
    break;  // one BUNDLE transport: the first section's parameters are the transport's
  }
  for (const auto& a : accepted) {
    auto note = [](std::uint16_t& id, std::uint16_t v) { if (id == 0) id = v; };
    note(entry->midId, a.midExtension);
    note(entry->ridId, a.ridExtension);
    note(entry->repairedRidId, a.repairedRidExtension);
    note(entry->audioLevelId, a.audioLevelExtension);
    note(entry->absSendTimeId, a.absSendTimeExtension);
    // One id per URI across the BUNDLE: what the server sends on any section is numbered by it.
    if ((a.kind == "audio" || a.kind == "video") && a.transportCcExtension != 0) entry->downlink->setExtension(a.transportCcExtension);
    if (a.dataChannels) entry->transport->enableDataChannels();
    if (a.receive && a.transportCcExtension != 0 && !entry->twcc) {
      entry->twccExtension = a.transportCcExtension;
      entry->twcc = std::make_unique<TwccRecorder>();
    }
  }
  for (std::size_t n = 0; n < accepted.size(); ++n) {
    const auto& a = accepted[n];
    if (!a.receive) continue;
    const SdpCodec* codec = n < offer.media.size() ? offer.media[n].codec(a.payloadType) : nullptr;
    const std::string_view codecName = codec != nullptr ? codec->name : std::string_view();
    auto named = [&](std::string_view want) {
      return std::equal(codecName.begin(), codecName.end(), want.begin(), want.end(),
                        [](char x, char y) { return std::tolower(static_cast<unsigned char>(x)) == y; });
    };
    for (std::size_t k = 0; k < a.ssrcs.size(); ++k) {
      const std::uint32_t ssrc = a.ssrcs[k];
      bool known = false;
      for (const auto& p : entry->published) known = known || p.ssrc == ssrc;
      if (known) continue;
      PublishedTrack p;
      p.ssrc = ssrc;
      p.payloadType = a.payloadType;
      p.video = a.kind == "video";
      p.stats = ReceiveStatistics(a.clockRate);
      p.midExtension = a.midExtension;
      p.audioLevelExtension = a.audioLevelExtension;
      p.clockRate = a.clockRate;
      p.channels = codec != nullptr ? codec->channels : 0;
      p.recordable = p.video ? named("vp8") : named("opus");
      p.vp8 = p.video && named("vp8");
      p.rtxSsrc = k < a.rtxSsrcs.size() ? a.rtxSsrcs[k] : 0;
      // About two seconds of a 320x240..640x480 camera at the bitrates browsers pick; a simulcast
      // track's layers share slots in arrival order, so that each keeps as long as a plain track.
      if (p.video) {
        p.sent = std::make_unique<RetransmissionBuffer>(RetransmissionBuffer::slotsForLayers(kRetransmissionSlots, a.rids.size()),
                                                        std::max<std::size_t>(a.rids.size(), 1));
      }
      for (const auto& rid : a.rids) {
        SimulcastLayer layer;
        layer.rid = rid;
        layer.stats = ReceiveStatistics(a.clockRate);
        p.layers.push_back(std::move(layer));
      }
      p.ridExtension = a.ridExtension;
      p.repairedRidExtension = a.repairedRidExtension;
      if (p.rtxSsrc != 0) i.clients.bySsrc[p.rtxSsrc] = entry;
      entry->published.push_back(std::move(p));
      i.clients.bySsrc[ssrc] = entry;
    }
  }
  i.recorder.startOf(*entry);  // a publisher that comes while the room records
}

void ShardMedia::startRecording(std::string_view roomKey, const std::string& directory) {
  impl_->recorder.start(roomKey, directory);
}

void ShardMedia::stopRecording(std::string_view roomKey) { impl_->recorder.stop(roomKey); }

void ShardMedia::forward(std::string_view roomKey, std::string_view toSid, std::uint32_t ssrc) {
  auto& i = *impl_;
  MediaClient* entry = i.clients.find(roomKey, toSid);
  if (entry == nullptr) return;
  auto& list = i.clients.subscribers[ssrc];
  if (std::none_of(list.begin(), list.end(), [&](const Subscription& s) { return s.client == entry; })) {
    Subscription sub{entry, std::nullopt};
    if (auto pub = i.clients.bySsrc.find(ssrc); pub != i.clients.bySsrc.end()) {
      for (const auto& p : pub->second->published) {
        if (p.ssrc == ssrc && !p.layers.empty()) sub.layers.emplace(static_cast<int>(p.layers.size()));
      }
    }
    list.push_back(sub);
  }
  i.keyframes.request(ssrc);
}

void ShardMedia::close(std::string_view roomKey, std::string_view sid) { impl_->remove(roomKey, sid); }

void ShardMedia::render(const std::vector<const ShardMedia*>& shards, std::string& out) {
  std::vector<const MediaCounters*> counters;
  counters.reserve(shards.size());
  for (const ShardMedia* shard : shards) counters.push_back(&shard->counters());
  MediaCounters::render(counters, out);
}

}  // namespace aerie
