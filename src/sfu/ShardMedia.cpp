#include "sfu/ShardMedia.hpp"

#include <algorithm>
#include <array>
#include <cctype>
#include <boost/asio/io_context.hpp>
#include <boost/asio/post.hpp>
#include <cstring>
#include <optional>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/ip/udp.hpp>
#include <boost/asio/read.hpp>
#include <boost/asio/write.hpp>
#include <deque>
#include <filesystem>
#include <boost/asio/steady_timer.hpp>
#include <stdexcept>
#include <sys/socket.h>
#include <unordered_map>
#include <vector>

#include "codec/RtcpPacket.hpp"
#include "codec/RtcpWriter.hpp"
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
#include "hub/TokenBucket.hpp"
#include "record/PublisherRecording.hpp"
#include "record/RecordingCatalog.hpp"
#include "sfu/DataRelayMessage.hpp"
#include "sfu/LayerSwitch.hpp"
#include "sfu/ReceiveBatch.hpp"
#include "sfu/BitrateWindow.hpp"
#include "sfu/LayerAllocator.hpp"
#include "sfu/SubscriberBandwidth.hpp"
#include "codec/TransportFeedback.hpp"
#include "codec/Vp8Descriptor.hpp"

namespace aerie {

namespace asio = boost::asio;
using udp = asio::ip::udp;
using tcp = asio::ip::tcp;
using Clock = std::chrono::steady_clock;

namespace {

constexpr std::size_t kMaxDatagram = 1500;
constexpr auto kTickInterval = std::chrono::milliseconds(100);  // transport-cc feedback
constexpr auto kKeyframeRequestGap = std::chrono::milliseconds(300);
constexpr std::size_t kRetransmissionSlots = 256;
// Mean loudness (127 - dBov) that counts as speech: louder than -77 dBov (a quiet room is
// below -90, speech around -20..-50).
constexpr std::uint32_t kSpeakingLoudness = 50;

struct AddressKey {
  std::array<std::uint8_t, 16> bytes{};
  std::uint16_t port = 0;
  bool ipv6 = false;
  bool operator==(const AddressKey&) const = default;
};

// Looked up for every datagram: the address as two 64-bit words and the port, mixed (a byte
// at a time, FNV-1a, this was 1 % of aerie's CPU under the media bench).
struct AddressHash {
  std::size_t operator()(const AddressKey& k) const {
    std::uint64_t low = 0;
    std::uint64_t high = 0;
    std::memcpy(&low, k.bytes.data(), 8);
    std::memcpy(&high, k.bytes.data() + 8, 8);
    std::uint64_t h = low * 0x9E3779B97F4A7C15ull ^ high;
    h = (h ^ (std::uint64_t{k.port} << 1 | (k.ipv6 ? 1u : 0u))) * 0xBF58476D1CE4E5B9ull;
    return static_cast<std::size_t>(h ^ (h >> 31));
  }
};

AddressKey keyOf(const stun::Address& a) { return AddressKey{a.bytes, a.port, a.ipv6}; }

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

std::int64_t microsecondsNow() {
  return std::chrono::duration_cast<std::chrono::microseconds>(Clock::now().time_since_epoch()).count();
}

std::string entryKey(std::string_view roomKey, std::string_view sid) {
  std::string k(roomKey);
  k += '\n';
  k += sid;
  return k;
}

// The send buffer of one loop: a forwarded packet is copied here once per subscriber and
// encrypted in place.
std::array<std::uint8_t, kMaxDatagram + MediaTransport::kSrtpOverhead>& scratch() {
  static thread_local std::array<std::uint8_t, kMaxDatagram + MediaTransport::kSrtpOverhead> buffer;
  return buffer;
}

}  // namespace

// Most bytes waiting to be written on one ICE-TCP connection: a reader that falls this far
// behind loses packets (media over TCP is a fallback; RTP copes with loss, not with queues).
constexpr std::size_t kMaxTcpQueueBytes = 256 * 1024;

// The copies of one forwarded packet, one per subscriber, each encrypted in a slot of its own
// and then handed to the kernel together (sendmmsg): one system call for a packet's subscribers
// instead of one per subscriber. Made once per shard.
struct SendBatch {
  static constexpr std::size_t kSlots = 64;
  using Slot = std::array<std::uint8_t, kMaxDatagram + MediaTransport::kSrtpOverhead>;
  std::array<Slot, kSlots> slots{};
  std::array<mmsghdr, kSlots> messages{};
  std::array<iovec, kSlots> vectors{};
  std::array<udp::endpoint, kSlots> to{};
  std::size_t count = 0;
  bool open = false;  // sendDatagram fills it (forwarding); otherwise it sends at once

  Slot& next() { return slots[count]; }
  bool holds(const std::uint8_t* data) const { return open && data == slots[count].data(); }
  // The datagram in the current slot goes to `endpoint`; true when the batch is full.
  bool add(std::size_t size, const udp::endpoint& endpoint) {
    to[count] = endpoint;
    vectors[count] = iovec{slots[count].data(), size};
    messages[count] = mmsghdr{};
    messages[count].msg_hdr.msg_iov = &vectors[count];
    messages[count].msg_hdr.msg_iovlen = 1;
    messages[count].msg_hdr.msg_name = to[count].data();
    messages[count].msg_hdr.msg_namelen = static_cast<socklen_t>(to[count].size());
    return ++count == kSlots;
  }
  // Sends what is held; the datagrams the kernel would not take now are dropped (UDP).
  void flush(int fd) {
    std::size_t sent = 0;
    while (sent < count) {
      const int n = ::sendmmsg(fd, messages.data() + sent, static_cast<unsigned>(count - sent), MSG_DONTWAIT);
      if (n <= 0) break;
      sent += static_cast<std::size_t>(n);
    }
    count = 0;
  }
};

struct ShardMedia::Impl : MediaTransport::Sender {
  // A client's passive ICE-TCP connection (RFC 6544) on the media port number: packets framed
  // by a 2-byte length (RFC 4571). The first one must be an ICE check for a transport of ours;
  // after that the connection is one more address of that transport.
  struct TcpLink : std::enable_shared_from_this<TcpLink> {
    TcpLink(Impl& i, tcp::socket s, const stun::Address& a) : impl(i), socket(std::move(s)), address(a) {}
    Impl& impl;
    tcp::socket socket;
    stun::Address address;
    std::array<std::uint8_t, 2> header{};
    std::array<std::uint8_t, kMaxDatagram + MediaTransport::kSrtpOverhead> body{};
    std::deque<std::vector<std::uint8_t>> queue;
    std::size_t queued = 0;
    bool routed = false;

    void read() {
      asio::async_read(socket, asio::buffer(header), [self = shared_from_this()](const boost::system::error_code& ec, std::size_t) {
        if (ec) return self->close();
        const std::size_t n = static_cast<std::size_t>(self->header[0] << 8 | self->header[1]);
        if (n == 0 || n > kMaxDatagram) return self->close();
        asio::async_read(self->socket, asio::buffer(self->body.data(), n), [self](const boost::system::error_code& ec2, std::size_t m) {
          if (ec2) return self->close();
          const bool delivered = self->impl.route(std::span(self->body.data(), m), self->address, self->routed);
          if (!delivered && !self->routed) return self->close();  // not a check of ours: hang up
          self->routed = true;
          self->read();
        });
      });
    }

    void send(std::span<const std::uint8_t> datagram) {
      if (!socket.is_open()) return;
      if (queued + datagram.size() + 2 > kMaxTcpQueueBytes) {
        impl.counters.tcpDropped.fetch_add(1, std::memory_order_relaxed);
        return;
      }
      std::vector<std::uint8_t> frame(datagram.size() + 2);
      frame[0] = static_cast<std::uint8_t>(datagram.size() >> 8);
      frame[1] = static_cast<std::uint8_t>(datagram.size());
      std::copy(datagram.begin(), datagram.end(), frame.begin() + 2);
      queued += frame.size();
      queue.push_back(std::move(frame));
      if (queue.size() == 1) writeNext();
    }

    void writeNext() {
      asio::async_write(socket, asio::buffer(queue.front()), [self = shared_from_this()](const boost::system::error_code& ec, std::size_t) {
        if (ec) return self->close();
        self->queued -= self->queue.front().size();
        self->queue.pop_front();
        if (!self->queue.empty()) self->writeNext();
      });
    }

    void close() {
      boost::system::error_code ignored;
      socket.close(ignored);
      auto it = impl.tcpLinks.find(keyOf(address));
      if (it != impl.tcpLinks.end() && it->second.get() == this) impl.tcpLinks.erase(it);
    }
  };

  // One simulcast layer of a video track (RFC 8853), known by its rid until its first packet
  // gives its SSRC.
  struct Layer {
    std::string rid;
    std::uint32_t ssrc = 0;
    std::uint32_t rtxSsrc = 0;
    ReceiveStatistics stats;
    Clock::time_point lastKeyframeRequest{};
    std::int64_t lastArrivalUs = 0;
    BitrateWindow rate;  // as it arrives, for the subscribers' layer allocation
    std::int64_t firstArrivalUs = 0;  // 0: nothing yet
  };

  struct Published {
    std::uint32_t ssrc = 0;  // a simulcast track's: the one the server chose, subscribers see
    std::uint32_t rtxSsrc = 0;  // 0: no RTX
    std::uint8_t payloadType = 0;
    bool video = false;
    std::uint16_t midExtension = 0;
    std::uint16_t audioLevelExtension = 0;
    // RFC 6464 over the current window: the sum of (127 - level), 0 silence .. 127 loudest.
    std::uint32_t loudness = 0;
    std::uint32_t levelSamples = 0;
    Clock::time_point lastKeyframeRequest{};
    // Video: what was forwarded, for NACKs (a simulcast track's layers share it, one stream
    // each).
    std::unique_ptr<RetransmissionBuffer> sent;
    ReceiveStatistics stats;  // for the receiver reports to the publisher
    BitrateWindow rate;       // as it arrives (a simulcast track's: in its layers)
    std::vector<Layer> layers;  // simulcast, lowest first; empty otherwise
    std::uint16_t ridExtension = 0;
    std::uint16_t repairedRidExtension = 0;
    // Opus or VP8, as the recorder writes them (other codecs are forwarded, not recorded).
    bool recordable = false;
    bool vp8 = false;  // its layers' PictureIDs are rewritten for each subscriber
    std::uint32_t clockRate = 0;
    std::uint8_t channels = 0;
  };

  struct Entry;
  // A subscriber of a track; of a simulcast track, with the layer it is sent.
  struct Subscription {
    Entry* entry;
    std::optional<LayerSwitch> layers;
  };

  struct Entry : MediaTransport::Listener {
    Impl* impl = nullptr;
    std::string roomKey;
    std::string sid;
    std::unique_ptr<MediaTransport> transport;
    std::vector<Published> published;
    std::vector<AddressKey> addresses;
    std::vector<stun::Address> ips;  // one per remote IP, as counted by the quota
    std::uint16_t twccExtension = 0;  // the client's transport-wide-cc header extension id
    // The header extension ids of the client's session (one per URI across the BUNDLE), 0 for
    // those not negotiated: what a forwarded packet must not carry with another meaning.
    std::uint16_t midId = 0;
    std::uint16_t ridId = 0;
    std::uint16_t repairedRidId = 0;
    std::uint16_t audioLevelId = 0;
    std::uint16_t absSendTimeId = 0;
    std::unique_ptr<TwccRecorder> twcc;
    // What it is sent: transport-wide numbers, the estimate of its downlink, its layers.
    std::unique_ptr<SubscriberBandwidth> downlink;
    // The client's messaging channel: the first it opens (SkylinkJS creates it with its offer,
    // before any file transfer's; 0.6 labels it 'main', 2.x '<rid>_<sid>_MCU').
    std::optional<std::uint16_t> mainChannel;
    std::optional<TokenBucket> dataBudget;
    // Its file while the room records (one per publisher; the first audio and the first video
    // track it publishes).
    std::unique_ptr<PublisherRecording> recording;
    std::uint32_t recordedAudio = 0;  // SSRCs
    std::uint32_t recordedVideo = 0;
    // A simulcast video track is recorded in one layer (recordedLayerOf); -1 until chosen.
    int recordedLayer = -1;

    void onChannelOpen(MediaTransport&, std::uint16_t stream, std::string_view) override {
      if (!mainChannel) mainChannel = stream;
    }
    void onChannelClosed(MediaTransport&, std::uint16_t stream) override {
      if (mainChannel == stream) mainChannel.reset();
    }
    void onChannelMessage(MediaTransport&, std::uint16_t stream, bool binary,
                          std::span<const std::uint8_t> data) override {
      impl->relayData(*this, stream, binary, data);
    }

    bool closing = false;  // ShardMedia::close() is closing it

    void onTransportState(MediaTransport&, MediaTransport::State state) override {
      log::info("media", "transport", {{"sid", sid}, {"state", MediaTransport::toString(state)}});
      if (state == MediaTransport::State::Closed && !closing) impl->lost(roomKey, sid);
    }
    void onRtp(MediaTransport&, RtpPacket& packet) override { impl->forwardRtp(*this, packet); }
    void onRtcp(MediaTransport&, std::span<std::uint8_t> compound) override {
      impl->handleRtcp(*this, compound);
    }
    bool onAddressChecked(MediaTransport&, const stun::Address& from) override {
      const AddressKey key = keyOf(from);
      if (std::find(addresses.begin(), addresses.end(), key) == addresses.end()) {
        // The first check from this address for this transport: it counts against the
        // address's quota, unless the transport already holds that IP (another port).
        bool sameIp = false;
        for (const auto& k : addresses) sameIp = sameIp || (k.bytes == key.bytes && k.ipv6 == key.ipv6);
        if (!sameIp && !impl->quota.acquire(from)) {
          impl->counters.refusedAddresses.fetch_add(1, std::memory_order_relaxed);
          return false;
        }
        if (!sameIp) ips.push_back(from);
        addresses.push_back(key);
      }
      auto [it, inserted] = impl->byAddress.emplace(key, this);
      if (!inserted) it->second = this;
      return true;
    }
  };

  Impl(asio::io_context& l, unsigned s, const MediaOptions& o, const Limits& lim)
      : loop(l), shard(s), options(o), limits(lim), socket(l), acceptor(l), timer(l), quota(lim.maxTransportsPerAddress) {}

  // MediaTransport::Sender
  void sendDatagram(std::span<const std::uint8_t> datagram, const stun::Address& to) override {
    if (!tcpLinks.empty()) {
      auto link = tcpLinks.find(keyOf(to));
      if (link != tcpLinks.end()) return link->second->send(datagram);
    }
    if (batch->holds(datagram.data())) {
      if (batch->add(datagram.size(), endpointOf(to))) batch->flush(socket.native_handle());
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
          auto link = std::make_shared<TcpLink>(*this, std::move(s), addressOf(remote.address(), remote.port()));
          tcpLinks[keyOf(link->address)] = link;
          counters.tcpConnections.fetch_add(1, std::memory_order_relaxed);
          link->read();
        }
      }
      acceptLoop();
    });
  }

  // Waits for the socket to be readable, then reads what the kernel holds a batch at a time
  // (recvmmsg, ReceiveBatch) until a read finds nothing (what arrived while a batch was handled
  // is read without going back to epoll); after kMaxPerWake datagrams it waits again, so that the
  // loop's other work (timers, ICE-TCP, the signaling of the shard's rooms) gets its turn (the
  // wait completes at once while datagrams are queued: Asio re-arms the descriptor, and epoll
  // reports it ready).
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

  // The track (and simulcast layer, else -1) an SSRC of `publisher` belongs to.
  static Published* trackOf(Entry& publisher, std::uint32_t ssrc, bool& rtx, int& layer) {
    layer = -1;
    for (auto& p : publisher.published) {
      if (p.ssrc == ssrc || (p.rtxSsrc != 0 && p.rtxSsrc == ssrc)) {
        rtx = p.ssrc != ssrc;
        return &p;
      }
      for (std::size_t i = 0; i < p.layers.size(); ++i) {
        if (p.layers[i].ssrc == ssrc || (p.layers[i].rtxSsrc != 0 && p.layers[i].rtxSsrc == ssrc)) {
          rtx = p.layers[i].ssrc != ssrc;
          layer = static_cast<int>(i);
          return &p;
        }
      }
    }
    return nullptr;
  }

  // A packet of an SSRC not seen yet: a simulcast layer's first, named by its rid (or, for its
  // RTX, repaired rid) header extension. The SSRC is the layer's from now on.
  Published* learnLayer(Entry& publisher, const RtpPacket& packet, bool& rtx, int& layer) {
    for (auto& p : publisher.published) {
      if (p.layers.empty()) continue;
      for (const bool repaired : {false, true}) {
        const std::uint16_t id = repaired ? p.repairedRidExtension : p.ridExtension;
        if (id == 0) continue;
        auto value = packet.extension(static_cast<std::uint8_t>(id));
        if (!value) continue;
        const std::string_view rid(reinterpret_cast<const char*>(value->data()), value->size());
        for (std::size_t i = 0; i < p.layers.size(); ++i) {
          if (p.layers[i].rid != rid) continue;
          (repaired ? p.layers[i].rtxSsrc : p.layers[i].ssrc) = packet.ssrc();
          bySsrc[packet.ssrc()] = &publisher;
          rtx = repaired;
          layer = static_cast<int>(i);
          return &p;
        }
      }
    }
    return nullptr;
  }

  static void blank(RtpPacket& packet, std::uint16_t id) {
    if (id == 0) return;
    if (auto value = packet.extension(static_cast<std::uint8_t>(id))) {
      const std::size_t header = packet.extensionProfile() == 0xBEDE ? 1 : 2;
      auto* first = const_cast<std::uint8_t*>(value->data()) - header;
      std::fill(first, first + header + value->size(), std::uint8_t{0});
    }
  }

  // RFC 4588 section 4: an RTX packet carries the original sequence number in its first two
  // payload bytes. Rewritten in place into the original packet; false for a padding-only probe.
  static std::optional<RtpPacket> unwrapRtx(RtpPacket& packet, const Published& track, int layer) {
    const auto payload = packet.payload();
    if (payload.size() <= 2 || packet.paddingSize() != 0) return std::nullopt;
    auto* bytes = const_cast<std::uint8_t*>(packet.bytes().data());
    const std::size_t total = packet.bytes().size();
    auto* start = const_cast<std::uint8_t*>(payload.data());
    const auto osn = static_cast<std::uint16_t>(start[0] << 8 | start[1]);
    std::memmove(start, start + 2, payload.size() - 2);
    auto original = RtpPacket::parse(std::span<std::uint8_t>(bytes, total - 2));
    if (!original) return std::nullopt;
    original->setSequenceNumber(osn);
    original->setSsrc(layer < 0 ? track.ssrc : track.layers[static_cast<std::size_t>(layer)].ssrc);
    original->setPayloadType(track.payloadType);
    return original;
  }

  void forwardRtp(Entry& publisher, RtpPacket& received) {
    if (publisher.twcc) {
      if (auto seq = received.extension(static_cast<std::uint8_t>(publisher.twccExtension)); seq && seq->size() >= 2) {
        publisher.twcc->record(static_cast<std::uint16_t>((*seq)[0] << 8 | (*seq)[1]), arrivalUs);
      }
    }
    bool rtx = false;
    int layer = -1;
    Published* track = trackOf(publisher, received.ssrc(), rtx, layer);
    if (track == nullptr) track = learnLayer(publisher, received, rtx, layer);
    if (track == nullptr) return;
    std::optional<RtpPacket> unwrapped;
    if (rtx) {
      unwrapped = unwrapRtx(received, *track, layer);
      if (!unwrapped) return;
    }
    RtpPacket& packet = rtx ? *unwrapped : received;
    Layer* simulcast = layer < 0 ? nullptr : &track->layers[static_cast<std::size_t>(layer)];
    (simulcast != nullptr ? simulcast->stats : track->stats).onPacket(packet.sequenceNumber(), packet.timestamp(), arrivalUs);
    (simulcast != nullptr ? simulcast->rate : track->rate).add(arrivalUs, packet.bytes().size());
    if (track->audioLevelExtension != 0) {
      if (auto level = packet.extension(static_cast<std::uint8_t>(track->audioLevelExtension)); level && !level->empty()) {
        track->loudness += 127u - ((*level)[0] & 0x7Fu);
        ++track->levelSamples;
      }
    }
    if (simulcast != nullptr) {
      simulcast->lastArrivalUs = arrivalUs;
      if (simulcast->firstArrivalUs == 0) simulcast->firstArrivalUs = arrivalUs;
    }
    if (publisher.recording && track->recordable && packet.payloadType() == track->payloadType &&
        (simulcast == nullptr || layer == recordedLayerOf(publisher, *track))) {
      record(publisher, *track, packet);
    }
    auto subs = subscribers.find(track->ssrc);
    if (subs == subscribers.end() || subs->second.empty()) return;
    // The publisher's mid (and rids) mean another section in each subscriber's session: blank
    // them (RFC 8285 padding), so that the subscriber routes the packet by its SSRC.
    blank(packet, track->midExtension);
    if (simulcast != nullptr) {
      blank(packet, track->ridExtension);
      blank(packet, track->repairedRidExtension);
    }
    const auto bytes = packet.bytes();
    if (bytes.size() > kMaxDatagram) return;
    if (track->sent) track->sent->store(packet.sequenceNumber(), bytes, simulcast != nullptr ? static_cast<std::size_t>(layer) : 0);
    batch->open = true;
    std::uint64_t forwarded = 0;
    bool keyframeWanted = false;
    int highestActive = -1;  // the highest layer that sent within the last second
    // A layer's VP8 descriptor: parsed once, for the key frame and the picture numbering.
    std::optional<Vp8Descriptor> vp8;
    LayerSwitch::Vp8Ids ids;
    if (simulcast != nullptr) {
      for (std::size_t i = 0; i < track->layers.size(); ++i) {
        if (arrivalUs - track->layers[i].lastArrivalUs < 1000000) highestActive = static_cast<int>(i);
      }
      vp8 = Vp8Descriptor::parse(packet.payload());
      if (vp8 && track->vp8) ids = vp8Ids(*vp8);
    }
    const std::size_t payloadAt = bytes.size() - packet.payload().size() - packet.paddingSize();
    const auto twccElement = SubscriberBandwidth::find(packet, publisher.twccExtension);
    // The copies' send time for the subscribers' estimators: read now, not the arrival of the
    // batch this packet came in (the packets before it in the batch went out first).
    const std::int64_t sentUs = microsecondsNow();
    for (auto& sub : subs->second) {
      if (sub.entry->transport->state() != MediaTransport::State::Connected) continue;
      if (sub.layers) {
        sub.layers->setHighestActive(highestActive);
        const auto verdict = sub.layers->onPacket(layer, vp8 && vp8->keyframe, packet.sequenceNumber(), packet.timestamp(), ids);
        keyframeWanted = keyframeWanted || verdict == LayerSwitch::Verdict::NeedKeyframe;
        if (verdict != LayerSwitch::Verdict::Forward) continue;
      }
      auto& out = batch->next();
      std::copy(bytes.begin(), bytes.end(), out.begin());
      if (sub.layers) {
        rewrite(std::span(out.data(), bytes.size()), *sub.layers, track->ssrc);
        if (ids.pictureId >= 0 || ids.tl0PicIdx >= 0) renumber(std::span(out.data() + payloadAt, packet.payload().size()), *vp8, *sub.layers);
      }
      foreignExtensions(std::span(out.data(), bytes.size()), packet, publisher, *sub.entry);
      sub.entry->downlink->stamp(std::span(out.data(), bytes.size()), twccElement, sentUs);
      if (sub.entry->transport->sendRtp(out, bytes.size())) ++forwarded;
    }
    batch->open = false;
    batch->flush(socket.native_handle());
    counters.forwarded.fetch_add(forwarded, std::memory_order_relaxed);
    if (keyframeWanted) requestLayerKeyframe(publisher, *simulcast);
  }

  // The forwarded sections declare no header extensions but transport-cc, so the subscriber
  // reads a forwarded packet's extensions by its own session's ids. An element whose id means
  // something else there (the publisher's abs-send-time where the subscriber has its mid, as
  // between Firefox and Chromium) is blanked in the copy: a subscriber that read it as a mid
  // would drop the packet. Those that mean the same on both sides pass; transport-cc is
  // stamped afresh afterwards (the publisher's element is kept for that when the subscriber
  // has transport-cc).
  static void foreignExtensions(std::span<std::uint8_t> copy, const RtpPacket& packet, const Entry& from, const Entry& to) {
    const std::uint16_t toTransportCc = to.downlink->extension();
    // Two sessions that number alike (two Chromiums): nothing to do, the common case.
    if (from.midId == to.midId && from.ridId == to.ridId && from.repairedRidId == to.repairedRidId &&
        from.audioLevelId == to.audioLevelId && from.absSendTimeId == to.absSendTimeId && from.twccExtension == toTransportCc) {
      return;
    }
    const std::uint16_t kept[] = {from.absSendTimeId == to.absSendTimeId ? to.absSendTimeId : std::uint16_t{0},
                                  from.audioLevelId == to.audioLevelId ? to.audioLevelId : std::uint16_t{0},
                                  toTransportCc != 0 ? from.twccExtension : std::uint16_t{0}};
    for (const std::uint16_t id : {to.midId, to.ridId, to.repairedRidId, to.audioLevelId, to.absSendTimeId, toTransportCc}) {
      if (id == 0 || id > 255 || std::find(std::begin(kept), std::end(kept), id) != std::end(kept)) continue;
      const auto value = packet.extension(static_cast<std::uint8_t>(id));
      if (!value) continue;
      const std::size_t header = packet.extensionProfile() == 0xBEDE ? 1 : 2;
      const auto at = static_cast<std::size_t>(value->data() - packet.bytes().data());
      if (at < header || at + value->size() > copy.size()) continue;
      std::fill(copy.begin() + static_cast<std::ptrdiff_t>(at - header), copy.begin() + static_cast<std::ptrdiff_t>(at + value->size()), std::uint8_t{0});
    }
  }

  // A simulcast layer's packet as one subscriber gets it: the track's SSRC, the subscriber's
  // sequence numbers and timestamps.
  static void rewrite(std::span<std::uint8_t> copy, const LayerSwitch& layers, std::uint32_t ssrc) {
    auto p = RtpPacket::parse(copy);
    if (!p) return;
    p->setSsrc(ssrc);
    p->setSequenceNumber(layers.outSequence(p->sequenceNumber()));
    p->setTimestamp(layers.outTimestamp(p->timestamp()));
  }

  static LayerSwitch::Vp8Ids vp8Ids(const Vp8Descriptor& d) {
    LayerSwitch::Vp8Ids ids;
    if (d.pictureId) ids.pictureId = *d.pictureId;
    ids.longPictureId = d.longPictureId;
    if (d.tl0PicIdx) ids.tl0PicIdx = *d.tl0PicIdx;
    return ids;
  }

  // A VP8 layer's PictureID and TL0PICIDX in the subscriber's numbering (`payload` is the
  // copy's payload, which `d` was parsed from the original of).
  static void renumber(std::span<std::uint8_t> payload, const Vp8Descriptor& d, const LayerSwitch& layers) {
    if (d.pictureId) d.writePictureId(payload, layers.outPictureId(*d.pictureId));
    if (d.tl0PicIdx) d.writeTl0PicIdx(payload, layers.outTl0PicIdx(*d.tl0PicIdx));
  }

  void requestLayerKeyframe(Entry& publisher, Layer& layer) {
    const auto now = Clock::now();
    if (layer.ssrc == 0 || now - layer.lastKeyframeRequest < kKeyframeRequestGap) return;
    layer.lastKeyframeRequest = now;
    auto& out = scratch();
    const std::size_t n = RtcpWriter::pli(out, 1, layer.ssrc);
    if (publisher.transport->sendRtcp(out, n)) counters.keyframeRequests.fetch_add(1, std::memory_order_relaxed);
  }

  Subscription* subscriptionOf(std::uint32_t trackSsrc, const Entry& subscriber) {
    auto it = subscribers.find(trackSsrc);
    if (it == subscribers.end()) return nullptr;
    for (auto& s : it->second) {
      if (s.entry == &subscriber) return &s;
    }
    return nullptr;
  }

  // The recorder's part of a packet: on this loop, into the publisher's file (its frame
  // assembly copies the payload into buffers allocated when the recording started).
  void record(Entry& publisher, const Published& track, const RtpPacket& packet) {
    auto& rec = *publisher.recording;
    const std::int64_t nowMs = arrivalUs / 1000;
    if (track.ssrc == publisher.recordedVideo) {
      rec.onVideo(packet.sequenceNumber(), packet.timestamp(), packet.marker(), packet.payload(), nowMs);
    } else if (track.ssrc == publisher.recordedAudio) {
      rec.onAudio(packet.sequenceNumber(), packet.timestamp(), packet.payload(), nowMs);
    }
  }

  // The layer a simulcast track is recorded in (one layer: one sequence of frames): the highest
  // one that sent within the last second, chosen at the file's first packet once the track has
  // sent for a second (so that every layer the publisher sends has been seen), and kept for the
  // file. Not always the top one: Chromium sends fewer layers than offered for small pictures
  // (two at 640x480) and pauses upper ones when its bandwidth estimate or CPU is short.
  int recordedLayerOf(Entry& publisher, const Published& track) {
    if (publisher.recordedLayer >= 0) return publisher.recordedLayer;
    std::int64_t since = 0;
    for (const auto& l : track.layers) {
      if (l.firstArrivalUs != 0 && (since == 0 || l.firstArrivalUs < since)) since = l.firstArrivalUs;
    }
    if (since == 0 || arrivalUs - since < 1000000) return -1;
    for (std::size_t i = 0; i < track.layers.size(); ++i) {
      const std::int64_t last = track.layers[i].lastArrivalUs;
      if (last != 0 && arrivalUs - last < 1000000) publisher.recordedLayer = static_cast<int>(i);
    }
    return publisher.recordedLayer;
  }

  // A recording's file for `entry`, if its room records and it publishes something the
  // recorder writes: `<sid>.webm` in the recording's directory (`<sid>-2.webm`, ... for a
  // publisher that comes back).
  void startRecordingOf(Entry& entry) {
    auto room = recordings.find(entry.roomKey);
    if (room == recordings.end() || entry.recording) return;
    PublisherRecording::Options o;
    for (const auto& p : entry.published) {
      if (!p.recordable) continue;
      if (p.video && !o.video) {
        o.video = true;
        o.videoClockRate = p.clockRate;
        entry.recordedVideo = p.ssrc;
      } else if (!p.video && !o.audio) {
        o.audio = true;
        o.audioClockRate = p.clockRate;
        o.audioChannels = p.channels == 0 ? 2 : p.channels;
        entry.recordedAudio = p.ssrc;
      }
    }
    if (!o.audio && !o.video) return;
    namespace fs = std::filesystem;
    const std::string name = RecordingCatalog::fileNameFor(entry.sid);
    fs::path path = fs::path(room->second.directory) / name;
    std::error_code ec;
    for (int n = 2; fs::exists(path, ec) && n < 1000; ++n) {
      path = fs::path(room->second.directory) / (name.substr(0, name.size() - 5) + "-" + std::to_string(n) + ".webm");
    }
    o.path = path.string();
    entry.recording = std::make_unique<PublisherRecording>(std::move(o));
    entry.recordedLayer = -1;
    counters.recordingFiles.fetch_add(1, std::memory_order_relaxed);
    if (entry.recordedVideo != 0) requestKeyframe(entry.recordedVideo);
  }

  void stopRecordingOf(Entry& entry) {
    if (!entry.recording) return;
    entry.recording->close();
    const auto& rec = *entry.recording;
    log::info("media", "recording file closed",
              {{"file", rec.path()}, {"state", PublisherRecording::toString(rec.state())},
               {"ms", std::to_string(rec.durationMs())}, {"bytes", std::to_string(rec.bytesWritten())},
               {"audioBy", rec.alignedBySenderReports() ? "sender reports" : "arrival"}});
    counters.recordedBytes.fetch_add(entry.recording->bytesWritten(), std::memory_order_relaxed);
    counters.recordingFiles.fetch_sub(1, std::memory_order_relaxed);
    entry.recording.reset();
    entry.recordedAudio = entry.recordedVideo = 0;
  }

  // Every 100 ms: clusters older than a second go to their files, key frames are asked for;
  // once a second, each recording is held to its limits.
  void tickRecordings(bool everySecond) {
    if (recordings.empty()) return;
    const std::int64_t nowMs = std::chrono::duration_cast<std::chrono::milliseconds>(Clock::now().time_since_epoch()).count();
    std::unordered_map<std::string, std::uint64_t> bytes;
    std::unordered_map<std::string, bool> failed;
    for (auto& [key, entry] : entries) {
      if (!entry->recording) continue;
      auto& rec = *entry->recording;
      rec.tick(nowMs);
      if (rec.wantsKeyframe(nowMs) && entry->recordedVideo != 0) requestKeyframe(entry->recordedVideo);
      bytes[entry->roomKey] += rec.bytesWritten();
      if (rec.state() == PublisherRecording::State::Failed) failed[entry->roomKey] = true;
    }
    if (!everySecond) return;
    std::vector<std::pair<std::string, std::string>> stopped;
    for (auto& [room, r] : recordings) {
      const auto seconds = std::chrono::duration_cast<std::chrono::seconds>(Clock::now() - r.started).count();
      if (failed[room]) {
        stopped.emplace_back(room, "disk error");
      } else if (seconds >= static_cast<std::int64_t>(limits.maxRecordingSeconds)) {
        stopped.emplace_back(room, "max-recording-seconds reached");
      } else if (bytes[room] + r.closedBytes >= limits.maxRecordingBytes) {
        stopped.emplace_back(room, "max-recording-bytes reached");
      }
    }
    for (const auto& [room, reason] : stopped) {
      stopRoomRecording(room);
      if (events != nullptr) events->onRecordingStopped(room, reason);
    }
  }

  void stopRoomRecording(std::string_view roomKey) {
    auto it = recordings.find(std::string(roomKey));
    if (it == recordings.end()) return;
    recordings.erase(it);
    for (auto& [key, entry] : entries) {
      if (entry->roomKey == roomKey) stopRecordingOf(*entry);
    }
  }

  // A transport closed by itself (in the middle of a receive or a tick): the entry goes, and
  // the server peer hears of it, once the loop is back from here.
  void lost(const std::string& roomKey, const std::string& sid) {
    counters.transportsLost.fetch_add(1, std::memory_order_relaxed);
    asio::post(loop, [this, roomKey, sid] {
      Entry* entry = find(roomKey, sid);
      if (entry == nullptr || entry->transport->state() != MediaTransport::State::Closed) return;
      remove(roomKey, sid);
      if (events != nullptr) events->onTransportLost(roomKey, sid);
    });
  }

  void remove(std::string_view roomKey, std::string_view sid) {
    auto it = entries.find(entryKey(roomKey, sid));
    if (it == entries.end()) return;
    Entry* entry = it->second.get();
    if (entry->recording) {
      if (auto r = recordings.find(entry->roomKey); r != recordings.end()) r->second.closedBytes += entry->recording->bytesWritten();
      stopRecordingOf(*entry);
    }
    entry->closing = true;
    entry->transport->close();
    byUfrag.erase(entry->transport->local().ufrag);
    for (const auto& ip : entry->ips) quota.release(ip);
    for (const auto& key : entry->addresses) {
      auto a = byAddress.find(key);
      if (a != byAddress.end() && a->second == entry) byAddress.erase(a);
      if (auto link = tcpLinks.find(key); link != tcpLinks.end()) link->second->close();
    }
    for (const auto& p : entry->published) {
      bySsrc.erase(p.ssrc);
      if (p.rtxSsrc != 0) bySsrc.erase(p.rtxSsrc);
      for (const auto& l : p.layers) {
        if (l.ssrc != 0) bySsrc.erase(l.ssrc);
        if (l.rtxSsrc != 0) bySsrc.erase(l.rtxSsrc);
      }
      subscribers.erase(p.ssrc);
    }
    for (auto& [ssrc, list] : subscribers) std::erase_if(list, [&](const Subscription& s) { return s.entry == entry; });
    const std::string room = entry->roomKey;
    entries.erase(it);
    counters.transports.fetch_sub(1, std::memory_order_relaxed);
    bool roomLeft = false;
    for (const auto& [key, e] : entries) roomLeft = roomLeft || e->roomKey == room;
    if (!roomLeft) speakers.erase(room);
  }

  // A Skylink MESSAGE on one of a client's channels goes on to the peers it names (every other
  // peer of the room when it names none), on their messaging channels.
  void relayData(Entry& from, std::uint16_t, bool binary, std::span<const std::uint8_t> data) {
    const auto nowMs = std::chrono::duration_cast<std::chrono::milliseconds>(Clock::now().time_since_epoch()).count();
    if (!from.dataBudget) from.dataBudget.emplace(limits.dataMessagesBurst, limits.dataMessagesPerSecond, nowMs);
    if (binary || !from.dataBudget->take(nowMs)) {
      counters.dataDropped.fetch_add(1, std::memory_order_relaxed);
      return;
    }
    const std::string_view text(reinterpret_cast<const char*>(data.data()), data.size());
    auto message = DataRelayMessage::parse(text, from.sid, limits.maxJsonDepth);
    if (!message) {
      counters.dataDropped.fetch_add(1, std::memory_order_relaxed);
      return;
    }
    const auto& targets = message->targets();
    const auto bytes = std::span(reinterpret_cast<const std::uint8_t*>(message->text().data()), message->text().size());
    for (auto& [key, entry] : entries) {
      Entry& to = *entry;
      // Each client's own connection only: a 0.6 client's downlinks carry no messages.
      if (&to == &from || to.roomKey != from.roomKey || !to.mainChannel || isDownlink(to.sid)) continue;
      if (!targets.empty() && std::find(targets.begin(), targets.end(), to.sid) == targets.end()) continue;
      if (to.transport->sendData(*to.mainChannel, false, bytes)) {
        counters.dataRelayed.fetch_add(1, std::memory_order_relaxed);
      } else {
        counters.dataDropped.fetch_add(1, std::memory_order_relaxed);
      }
    }
  }

  // A subscriber's NACK: what the SFU still has goes back from here; if anything is missing
  // (lost on the way in), the NACK goes on to the publisher, whose retransmission reaches
  // every subscriber.
  void answerNack(Entry& subscriber, const RtcpPacket& nack, std::span<const std::uint8_t> bytes) {
    const auto ssrc = nack.mediaSsrc();
    if (!ssrc) return;
    auto it = bySsrc.find(*ssrc);
    if (it == bySsrc.end()) return;
    bool rtx = false;
    int layer = -1;
    Published* track = trackOf(*it->second, *ssrc, rtx, layer);
    if (track != nullptr && !track->layers.empty()) return answerLayeredNack(subscriber, *it->second, *track, nack);
    if (track == nullptr || !track->sent) return;
    bool missing = false;
    nack.forEachNack([&](std::uint16_t seq) {
      const auto kept = track->sent->find(seq);
      if (kept.empty()) {
        missing = true;
        return;
      }
      auto& out = scratch();
      std::copy(kept.begin(), kept.end(), out.begin());
      stampCopy(subscriber, std::span(out.data(), kept.size()), *it->second);
      if (subscriber.transport->sendRtp(out, kept.size())) counters.retransmitted.fetch_add(1, std::memory_order_relaxed);
    });
    if (!missing || bytes.size() > kMaxDatagram) return;
    auto& out = scratch();
    std::copy(bytes.begin(), bytes.end(), out.begin());
    if (it->second->transport->sendRtcp(out, bytes.size())) counters.nacksRelayed.fetch_add(1, std::memory_order_relaxed);
  }

  // A NACK for a simulcast track: the subscriber's sequence numbers back to the layer's, resent
  // from that layer's buffer with the subscriber's numbers again. What the buffer lacks is lost
  // (the publisher's own NACK handling covers its uplink).
  void answerLayeredNack(Entry& subscriber, const Entry& publisher, Published& track, const RtcpPacket& nack) {
    Subscription* sub = subscriptionOf(track.ssrc, subscriber);
    if (sub == nullptr || !sub->layers) return;
    nack.forEachNack([&](std::uint16_t seq) {
      const auto original = sub->layers->original(seq);
      if (!original) return;
      const auto kept = track.sent ? track.sent->find(original->second, static_cast<std::size_t>(original->first)) : std::span<const std::uint8_t>{};
      if (kept.empty()) return;
      auto& out = scratch();
      std::copy(kept.begin(), kept.end(), out.begin());
      rewrite(std::span(out.data(), kept.size()), *sub->layers, track.ssrc);
      if (track.vp8) {
        auto copy = RtpPacket::parse(std::span(out.data(), kept.size()));
        const auto d = copy ? Vp8Descriptor::parse(copy->payload()) : std::nullopt;
        if (d) {
          const std::size_t at = kept.size() - copy->payload().size() - copy->paddingSize();
          renumber(std::span(out.data() + at, copy->payload().size()), *d, *sub->layers);
        }
      }
      stampCopy(subscriber, std::span(out.data(), kept.size()), publisher);
      if (subscriber.transport->sendRtp(out, kept.size())) counters.retransmitted.fetch_add(1, std::memory_order_relaxed);
    });
  }

  // A packet resent to `subscriber` from a buffer gets a transport-wide number of its own.
  // Its foreign header extensions are blanked as for a forwarded packet.
  void stampCopy(Entry& subscriber, std::span<std::uint8_t> copy, const Entry& publisher) {
    auto p = RtpPacket::parse(copy);
    if (!p) return;
    foreignExtensions(copy, *p, publisher, subscriber);
    if (subscriber.downlink->extension() == 0) return;
    subscriber.downlink->stamp(copy, SubscriberBandwidth::find(*p, publisher.twccExtension), microsecondsNow());
  }

  // What a subscriber reports of a simulcast track it receives moves its layer, unless its
  // bandwidth estimate does (transport-cc feedback or REMB).
  void adaptLayers(Entry& from, const RtcpPacket& report) {
    if (from.downlink->current(arrivalUs)) return;
    for (std::size_t i = 0; i < report.count(); ++i) {
      const auto block = report.reportBlock(i);
      if (!block) return;
      auto it = bySsrc.find(block->ssrc);
      if (it == bySsrc.end()) continue;
      Subscription* sub = subscriptionOf(block->ssrc, from);
      if (sub != nullptr && sub->layers) sub->layers->onLoss(block->fractionLost, Clock::now());
    }
  }

  void handleRtcp(Entry& from, std::span<std::uint8_t> compound) {
    std::span<const std::uint8_t> rest = compound;
    while (!rest.empty()) {
      auto p = RtcpPacket::first(rest);
      if (!p) return;
      if (p->type() == RtcpPacket::SenderReport || p->type() == RtcpPacket::ReceiverReport) {
        if (p->type() == RtcpPacket::SenderReport) passSenderReport(from, *p);
        if (p->count() != 0) adaptLayers(from, *p);
      } else if (p->isNack()) {
        answerNack(from, *p, rest.first(p->size()));
      } else if (p->type() == RtcpPacket::TransportFeedback && p->count() == RtcpPacket::kTransportCc) {
        if (auto feedback = TransportFeedback::parse(*p); feedback && from.downlink->onFeedback(*feedback, arrivalUs) != 0) {
          counters.feedbackRead.fetch_add(1, std::memory_order_relaxed);
        }
      } else if (p->type() == RtcpPacket::PayloadFeedback && p->count() == RtcpPacket::kApplicationLayer) {
        if (auto remb = p->remb()) {
          from.downlink->onRemb(remb->bitrate, arrivalUs);
          counters.rembRead.fetch_add(1, std::memory_order_relaxed);
        }
      } else if (p->isPli()) {
        if (auto ssrc = p->mediaSsrc()) requestKeyframe(*ssrc);
      } else if (p->type() == RtcpPacket::PayloadFeedback && p->count() == RtcpPacket::kFir) {
        for (std::size_t i = 0; i < p->firEntries(); ++i) {
          if (auto e = p->firEntry(i)) requestKeyframe(e->first);
        }
      }
      rest = rest.subspan(p->size());
    }
  }

  // A publisher's SR: noted for its receiver reports (its round trip time), and passed on to
  // the track's subscribers without the publisher's own report blocks, which are about what it
  // receives. SSRC and timestamps are forwarded as they are, so the NTP/RTP pair stays true:
  // the subscriber's browser syncs the publisher's audio and video with it.
  void passSenderReport(Entry& from, const RtcpPacket& sr) {
    const auto ssrc = sr.senderSsrc();
    const auto info = sr.senderInfo();
    if (!ssrc || !info) return;
    bool rtx = false;
    int layer = -1;
    Published* track = trackOf(from, *ssrc, rtx, layer);
    if (track == nullptr || rtx) return;
    (layer < 0 ? track->stats : track->layers[static_cast<std::size_t>(layer)].stats).onSenderReport(info->ntpTime, arrivalUs);
    // The recorder aligns the publisher's audio with its video by these reports.
    if (from.recording) {
      if (track->ssrc == from.recordedAudio) {
        from.recording->onSenderReport(false, info->ntpTime, info->rtpTimestamp);
      } else if (track->ssrc == from.recordedVideo && (layer < 0 || layer == from.recordedLayer)) {
        from.recording->onSenderReport(true, info->ntpTime, info->rtpTimestamp);
      }
    }
    auto subs = subscribers.find(track->ssrc);
    if (subs == subscribers.end()) return;
    constexpr std::size_t kSenderReportSize = 28;  // header, SSRC, sender info
    const auto bytes = sr.bytes().first(kSenderReportSize);
    auto& out = scratch();
    for (auto& sub : subs->second) {
      if (sub.entry->transport->state() != MediaTransport::State::Connected) continue;
      // A layer's report goes to those who get that layer, in their numbers.
      if (sub.layers && sub.layers->current() != layer) continue;
      std::copy(bytes.begin(), bytes.end(), out.begin());
      out[0] = 0x80;  // no report blocks, no padding
      out[2] = 0;
      out[3] = kSenderReportSize / 4 - 1;
      if (sub.layers) {
        const std::uint32_t ts = sub.layers->outTimestamp(info->rtpTimestamp);
        const std::uint32_t s = track->ssrc;
        const std::uint8_t fields[8] = {static_cast<std::uint8_t>(s >> 24), static_cast<std::uint8_t>(s >> 16),
                                        static_cast<std::uint8_t>(s >> 8), static_cast<std::uint8_t>(s),
                                        static_cast<std::uint8_t>(ts >> 24), static_cast<std::uint8_t>(ts >> 16),
                                        static_cast<std::uint8_t>(ts >> 8), static_cast<std::uint8_t>(ts)};
        std::copy(fields, fields + 4, out.begin() + 4);       // SSRC
        std::copy(fields + 4, fields + 8, out.begin() + 16);  // RTP timestamp
      }
      if (sub.entry->transport->sendRtcp(out, kSenderReportSize)) counters.senderReports.fetch_add(1, std::memory_order_relaxed);
    }
  }

  // Once a second, every publisher hears what arrived of each of its tracks (RR).
  void sendReceiverReports() {
    const std::int64_t nowUs = std::chrono::duration_cast<std::chrono::microseconds>(Clock::now().time_since_epoch()).count();
    std::array<RtcpReportBlock, 8> blocks{};
    for (auto& [key, entry] : entries) {
      if (entry->transport->state() != MediaTransport::State::Connected) continue;
      std::size_t n = 0;
      for (auto& p : entry->published) {
        if (p.stats.received() && n < blocks.size()) blocks[n++] = p.stats.report(p.ssrc, nowUs);
        for (auto& l : p.layers) {
          if (l.stats.received() && n < blocks.size()) blocks[n++] = l.stats.report(l.ssrc, nowUs);
        }
      }
      if (n == 0) continue;
      auto& out = scratch();
      const std::size_t size = RtcpWriter::receiverReport(out, 1, std::span(blocks.data(), n));
      if (size != 0 && entry->transport->sendRtcp(out, size)) counters.receiverReports.fetch_add(1, std::memory_order_relaxed);
    }
  }

  void requestKeyframe(std::uint32_t ssrc) {
    auto it = bySsrc.find(ssrc);
    if (it == bySsrc.end()) return;
    Entry& publisher = *it->second;
    const auto now = Clock::now();
    for (auto& p : publisher.published) {
      if (p.ssrc != ssrc || !p.video) continue;
      if (!p.layers.empty()) {
        for (auto& l : p.layers) requestLayerKeyframe(publisher, l);
        return;
      }
      if (now - p.lastKeyframeRequest < kKeyframeRequestGap) return;  // coalesced
      p.lastKeyframeRequest = now;
      // Sender SSRC 1: the server sends no media of its own.
      auto& out = scratch();
      const std::size_t n = RtcpWriter::pli(out, 1, ssrc);
      if (publisher.transport->sendRtcp(out, n)) counters.keyframeRequests.fetch_add(1, std::memory_order_relaxed);
      return;
    }
  }

  // Every 100 ms, each subscriber whose downlink has an estimate gets the simulcast layers that
  // fit it (LayerAllocator); the others keep the loss rule of LayerSwitch.
  void allocateLayers() {
    const std::int64_t nowUs = std::chrono::duration_cast<std::chrono::microseconds>(Clock::now().time_since_epoch()).count();
    for (auto& [key, entry] : entries) {
      if (!entry->downlink->current(nowUs)) continue;
      allocation.clear();
      allocated.clear();
      bool layered = false;
      for (auto& [ssrc, list] : subscribers) {
        for (auto& sub : list) {
          if (sub.entry != entry.get()) continue;
          const Published* track = publishedTrack(ssrc);
          if (track == nullptr) break;
          LayerAllocator::Track t;
          t.id = ssrc;
          if (sub.layers && !track->layers.empty()) {
            layered = true;
            t.layers = static_cast<int>(std::min(track->layers.size(), LayerAllocator::kMaxLayers));
            for (int i = 0; i < t.layers; ++i) {
              const auto& l = track->layers[static_cast<std::size_t>(i)];
              t.layerBps[static_cast<std::size_t>(i)] = l.rate.bps(nowUs);
              if (nowUs - l.lastArrivalUs < 1000000) t.highestActive = i;
            }
            t.current = sub.layers->current();
          } else {
            t.layerBps[0] = track->rate.bps(nowUs);
          }
          allocation.push_back(t);
          allocated.push_back(&sub);
          break;
        }
      }
      if (!layered) continue;
      entry->downlink->allocator().allocate(allocation, entry->downlink->estimator().estimate(), nowUs);
      for (std::size_t i = 0; i < allocation.size(); ++i) {
        auto& layers = allocated[i]->layers;
        if (allocation[i].layers == 0 || !layers || allocation[i].chosen == layers->target()) continue;
        layers->aim(allocation[i].chosen);
        if (layers->target() != allocation[i].chosen) continue;
        counters.layerChanges.fetch_add(1, std::memory_order_relaxed);
        const auto& e = entry->downlink->estimator();
        log::debug("media", "layer aim", {{"sid", entry->sid}, {"ssrc", std::to_string(allocation[i].id)},
                                          {"layer", std::to_string(allocation[i].chosen)}, {"estimate", std::to_string(e.estimate())},
                                          {"delayBased", std::to_string(e.delayBased())}, {"lossBased", std::to_string(e.lossBased())},
                                          {"acknowledged", std::to_string(e.acknowledged())}});
      }
    }
  }

  const Published* publishedTrack(std::uint32_t ssrc) const {
    auto it = bySsrc.find(ssrc);
    if (it == bySsrc.end()) return nullptr;
    for (const auto& p : it->second->published) {
      if (p.ssrc == ssrc) return &p;
    }
    return nullptr;
  }

  // Every 100 ms, each publisher hears when its packets arrived (transport-cc), which drives
  // its browser's bandwidth estimate.
  void sendTransportFeedback() {
    for (auto& [key, entry] : entries) {
      if (!entry->twcc || !entry->twcc->pending()) continue;
      if (entry->transport->state() != MediaTransport::State::Connected) continue;
      const std::uint32_t media = entry->published.empty() ? 0 : entry->published.front().ssrc;
      auto& out = scratch();
      const std::size_t size = entry->twcc->feedback(std::span(out.data(), kMaxDatagram), 1, media);
      if (size != 0 && entry->transport->sendRtcp(out, size)) counters.transportFeedback.fetch_add(1, std::memory_order_relaxed);
    }
  }

  // Once a second, every publisher of video hears the most it may send (REMB): browsers take it
  // as a ceiling for their own estimate.
  void sendBitrateCaps() {
    const std::uint64_t cap = std::uint64_t{limits.maxPublisherBitrateKbps} * 1000;
    std::array<std::uint32_t, 8> ssrcs{};
    for (auto& [key, entry] : entries) {
      std::size_t n = 0;
      for (const auto& p : entry->published) {
        if (p.video && n < ssrcs.size()) ssrcs[n++] = p.ssrc;
      }
      if (n == 0 || entry->transport->state() != MediaTransport::State::Connected) continue;
      auto& out = scratch();
      const std::size_t size = RtcpWriter::remb(out, 1, cap, std::span(ssrcs.data(), n));
      if (size != 0 && entry->transport->sendRtcp(out, size)) counters.bitrateCaps.fetch_add(1, std::memory_order_relaxed);
    }
  }

  // Every 600 ms, the loudest publisher of each room (mean RFC 6464 loudness over the window,
  // above kSpeakingLoudness): when it changes, the server peer tells the room.
  void pickSpeakers() {
    std::unordered_map<std::string_view, std::pair<Entry*, std::uint32_t>> loudest;
    for (auto& [key, entry] : entries) {
      auto& best = loudest[entry->roomKey];
      for (auto& p : entry->published) {
        if (p.audioLevelExtension == 0) continue;
        const std::uint32_t mean = p.levelSamples == 0 ? 0 : p.loudness / p.levelSamples;
        p.loudness = 0;
        p.levelSamples = 0;
        if (mean >= kSpeakingLoudness && mean > best.second) best = {entry.get(), mean};
      }
    }
    for (auto& [room, best] : loudest) {
      const std::string sid = best.first != nullptr ? best.first->sid : std::string();
      auto& current = speakers[std::string(room)];
      if (current == sid) continue;
      current = sid;
      if (events != nullptr) events->onActiveSpeaker(room, sid);
    }
  }

  void tickLoop() {
    timer.expires_after(kTickInterval);
    timer.async_wait([this](const boost::system::error_code& ec) {
      if (ec) return;
      const auto now = Clock::now();
      SctpStack::instance().handleTimers(now);
      for (auto& [key, entry] : entries) entry->transport->tick(now);
      sendTransportFeedback();
      allocateLayers();
      tickRecordings((ticks + 1) % 10 == 0);
      if (++ticks % 10 == 0) {
        sendBitrateCaps();
        sendReceiverReports();
      }
      if (ticks % 6 == 0) pickSpeakers();
      tickLoop();
    });
  }

  Entry* find(std::string_view roomKey, std::string_view sid) {
    auto it = entries.find(entryKey(roomKey, sid));
    return it == entries.end() ? nullptr : it->second.get();
  }

  asio::io_context& loop;
  unsigned shard;
  MediaOptions options;
  const Limits& limits;
  udp::socket socket;
  std::unique_ptr<SendBatch> batch = std::make_unique<SendBatch>();
  tcp::acceptor acceptor;  // passive ICE-TCP on the same port number
  std::unordered_map<AddressKey, std::shared_ptr<TcpLink>, AddressHash> tcpLinks;
  asio::steady_timer timer;
  // The UDP socket's datagrams, read a batch at a time (its buffers made once, here).
  std::unique_ptr<ReceiveBatch> received = std::make_unique<ReceiveBatch>(kMaxDatagram + MediaTransport::kSrtpOverhead);
  std::unordered_map<std::string, std::unique_ptr<Entry>> entries;
  std::unordered_map<std::string, Entry*> byUfrag;
  std::unordered_map<AddressKey, Entry*, AddressHash> byAddress;
  std::unordered_map<std::uint32_t, Entry*> bySsrc;  // publishers
  std::unordered_map<std::uint32_t, std::vector<Subscription>> subscribers;  // by track SSRC
  std::vector<LayerAllocator::Track> allocation;  // allocateLayers()'s, kept for their capacity
  std::vector<Subscription*> allocated;
  AddressQuota quota;
  unsigned ticks = 0;
  std::int64_t arrivalUs = 0;  // of the datagram being handled
  MediaEvents* events = nullptr;
  std::unordered_map<std::string, std::string> speakers;  // room → the sid last announced
  struct RoomRecording {
    std::string directory;
    Clock::time_point started;
    std::uint64_t closedBytes = 0;  // in the files of publishers that left
  };
  std::unordered_map<std::string, RoomRecording> recordings;  // by room key
  Counters counters;
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
  Impl::Entry* entry = i.find(roomKey, sid);
  if (entry == nullptr) {
    auto created = std::make_unique<Impl::Entry>();
    created->impl = &i;
    created->roomKey = std::string(roomKey);
    created->sid = std::string(sid);
    created->transport = std::make_unique<MediaTransport>(
        IceCredentials::random(), DtlsCertificate::processWide(), i.limits, i, *created, Clock::now());
    created->downlink = std::make_unique<SubscriberBandwidth>(std::uint64_t{i.limits.maxSubscriberBitrateKbps} * 1000);
    entry = created.get();
    i.byUfrag[entry->transport->local().ufrag] = entry;
    i.entries.emplace(entryKey(roomKey, sid), std::move(created));
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
  Impl::Entry* entry = i.find(roomKey, sid);
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
  Impl::Entry* entry = i.find(roomKey, sid);
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
      Impl::Published p;
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
        Impl::Layer layer;
        layer.rid = rid;
        layer.stats = ReceiveStatistics(a.clockRate);
        p.layers.push_back(std::move(layer));
      }
      p.ridExtension = a.ridExtension;
      p.repairedRidExtension = a.repairedRidExtension;
      if (p.rtxSsrc != 0) i.bySsrc[p.rtxSsrc] = entry;
      entry->published.push_back(std::move(p));
      i.bySsrc[ssrc] = entry;
    }
  }
  i.startRecordingOf(*entry);  // a publisher that comes while the room records
}

void ShardMedia::startRecording(std::string_view roomKey, const std::string& directory) {
  auto& i = *impl_;
  auto [it, inserted] = i.recordings.try_emplace(std::string(roomKey));
  if (!inserted) return;
  it->second.directory = directory;
  it->second.started = Clock::now();
  for (auto& [key, entry] : i.entries) {
    if (entry->roomKey == roomKey) i.startRecordingOf(*entry);
  }
}

void ShardMedia::stopRecording(std::string_view roomKey) { impl_->stopRoomRecording(roomKey); }

void ShardMedia::forward(std::string_view roomKey, std::string_view toSid, std::uint32_t ssrc) {
  auto& i = *impl_;
  Impl::Entry* entry = i.find(roomKey, toSid);
  if (entry == nullptr) return;
  auto& list = i.subscribers[ssrc];
  if (std::none_of(list.begin(), list.end(), [&](const Impl::Subscription& s) { return s.entry == entry; })) {
    Impl::Subscription sub{entry, std::nullopt};
    if (auto pub = i.bySsrc.find(ssrc); pub != i.bySsrc.end()) {
      for (const auto& p : pub->second->published) {
        if (p.ssrc == ssrc && !p.layers.empty()) sub.layers.emplace(static_cast<int>(p.layers.size()));
      }
    }
    list.push_back(sub);
  }
  i.requestKeyframe(ssrc);
}

void ShardMedia::close(std::string_view roomKey, std::string_view sid) { impl_->remove(roomKey, sid); }

void ShardMedia::render(const std::vector<const ShardMedia*>& shards, std::string& out) {
  struct Series {
    const char* name;
    const char* type;
    const char* help;
    std::atomic<std::uint64_t> Counters::*field;
  };
  static const Series kSeries[] = {
      {"aerie_media_datagrams_in_total", "counter", "UDP datagrams received on the media ports", &Counters::datagramsIn},
      {"aerie_media_unrouted_total", "counter", "media datagrams from unknown addresses that were not a valid ICE check", &Counters::unrouted},
      {"aerie_media_forwarded_packets_total", "counter", "RTP packets the SFU sent to subscribers", &Counters::forwarded},
      {"aerie_media_keyframe_requests_total", "counter", "PLIs the SFU sent to publishers", &Counters::keyframeRequests},
      {"aerie_media_retransmitted_packets_total", "counter", "RTP packets resent to subscribers from the SFU's buffer (NACK)", &Counters::retransmitted},
      {"aerie_media_nacks_relayed_total", "counter", "NACKs passed on to publishers for packets the SFU did not have", &Counters::nacksRelayed},
      {"aerie_media_transport_feedback_total", "counter", "transport-cc feedback packets sent to publishers", &Counters::transportFeedback},
      {"aerie_media_downlink_feedback_total", "counter", "transport-cc feedback packets from subscribers read by their bandwidth estimators", &Counters::feedbackRead},
      {"aerie_media_downlink_rembs_total", "counter", "REMBs from subscribers read by their bandwidth estimators", &Counters::rembRead},
      {"aerie_media_layer_allocations_total", "counter", "simulcast layer changes the bandwidth allocator asked of subscribers' layer switches", &Counters::layerChanges},
      {"aerie_media_bitrate_caps_total", "counter", "REMBs the SFU sent to publishers (max-publisher-bitrate-kbps)", &Counters::bitrateCaps},
      {"aerie_media_refused_addresses_total", "counter", "ICE checks refused: max-transports-per-address", &Counters::refusedAddresses},
      {"aerie_media_data_messages_relayed_total", "counter", "Skylink data channel messages the SFU passed on to a peer", &Counters::dataRelayed},
      {"aerie_media_data_messages_dropped_total", "counter", "data channel messages the SFU did not pass on: not a Skylink MESSAGE, over data-messages-per-second, or the receiver's channel refused it", &Counters::dataDropped},
      {"aerie_media_receiver_reports_total", "counter", "RTCP receiver reports the SFU sent to publishers", &Counters::receiverReports},
      {"aerie_media_sender_reports_total", "counter", "publishers' RTCP sender reports passed on to subscribers", &Counters::senderReports},
      {"aerie_media_transports_lost_total", "counter", "client transports that closed by themselves: ICE consent lost, DTLS failed or closed by the client", &Counters::transportsLost},
      {"aerie_media_tcp_connections_total", "counter", "ICE-TCP connections accepted on the media port", &Counters::tcpConnections},
      {"aerie_media_tcp_dropped_total", "counter", "packets not sent on an ICE-TCP connection whose reader fell behind", &Counters::tcpDropped},
      {"aerie_media_transports", "gauge", "client transports open on the media ports", &Counters::transports},
      {"aerie_recording_files", "gauge", "publishers' recording files open (one per recorded publisher)", &Counters::recordingFiles},
      {"aerie_recorded_bytes_total", "counter", "bytes written to recording files that are closed", &Counters::recordedBytes},
  };
  for (const auto& s : kSeries) {
    std::uint64_t sum = 0;
    for (const ShardMedia* shard : shards) sum += (shard->counters().*(s.field)).load(std::memory_order_relaxed);
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
