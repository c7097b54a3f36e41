#include "media/SctpAssociation.hpp"

#include <usrsctp.h>

#include <algorithm>
#include <array>
#include <arpa/inet.h>
#include <cstdlib>
#include <cstring>
#include <mutex>

#include "codec/DcepMessage.hpp"
#include "core/Log.hpp"
#include "media/SctpStack.hpp"

namespace aerie {
namespace {

// Streams each way; browsers offer 1024 and use the lower of both ends' numbers.
constexpr std::uint16_t kStreams = 1024;
constexpr std::array<std::uint16_t, 3> kEvents = {SCTP_ASSOC_CHANGE, SCTP_SHUTDOWN_EVENT,
                                                  SCTP_STREAM_RESET_EVENT};
using NotificationHeader = decltype(sctp_notification::sn_header);

sockaddr_conn connAddress(std::uintptr_t id) {
  sockaddr_conn a{};
  a.sconn_family = AF_CONN;
  a.sconn_port = htons(SctpAssociation::kPort);
  a.sconn_addr = reinterpret_cast<void*>(id);
  return a;
}

}  // namespace

const char* SctpAssociation::toString(State state) {
  switch (state) {
    case State::New: return "new";
    case State::Connecting: return "connecting";
    case State::Connected: return "connected";
    case State::Closed: return "closed";
  }
  return "?";
}

SctpAssociation::SctpAssociation(const Limits& limits, Listener& listener)
    : limits_(limits), listener_(listener) {
  auto& stack = SctpStack::instance();
  std::lock_guard lock(stack.mutex());
  id_ = stack.add(*this);
  usrsctp_register_address(reinterpret_cast<void*>(id_));
}

SctpAssociation::~SctpAssociation() {
  auto& stack = SctpStack::instance();
  std::lock_guard lock(stack.mutex());
  if (socket_ != nullptr) usrsctp_close(socket_);
  usrsctp_deregister_address(reinterpret_cast<void*>(id_));
  stack.remove(id_);
}

void SctpAssociation::configureSocket() {
  usrsctp_set_non_blocking(socket_, 1);
  // Closing aborts at once instead of lingering in SHUTDOWN.
  linger off{1, 0};
  usrsctp_setsockopt(socket_, SOL_SOCKET, SO_LINGER, &off, sizeof off);
  sctp_assoc_value reset{};
  reset.assoc_id = SCTP_ALL_ASSOC;
  reset.assoc_value = SCTP_ENABLE_RESET_STREAM_REQ;
  usrsctp_setsockopt(socket_, IPPROTO_SCTP, SCTP_ENABLE_STREAM_RESET, &reset, sizeof reset);
  const int on = 1;
  usrsctp_setsockopt(socket_, IPPROTO_SCTP, SCTP_NODELAY, &on, sizeof on);
  usrsctp_setsockopt(socket_, IPPROTO_SCTP, SCTP_RECVRCVINFO, &on, sizeof on);
  for (auto type : kEvents) {
    sctp_event event{};
    event.se_assoc_id = SCTP_ALL_ASSOC;
    event.se_on = 1;
    event.se_type = type;
    usrsctp_setsockopt(socket_, IPPROTO_SCTP, SCTP_EVENT, &event, sizeof event);
  }
  sctp_initmsg init{};
  init.sinit_num_ostreams = kStreams;
  init.sinit_max_instreams = kStreams;
  usrsctp_setsockopt(socket_, IPPROTO_SCTP, SCTP_INITMSG, &init, sizeof init);
  sctp_paddrparams path{};
  path.spp_flags = SPP_PMTUD_DISABLE;
  path.spp_pathmtu = kMtu;
  usrsctp_setsockopt(socket_, IPPROTO_SCTP, SCTP_PEER_ADDR_PARAMS, &path, sizeof path);
}

void SctpAssociation::start() {
  if (state_ != State::New) return;
  {
    std::lock_guard lock(SctpStack::instance().mutex());
    socket_ = usrsctp_socket(AF_CONN, SOCK_STREAM, IPPROTO_SCTP, &SctpAssociation::onReceive,
                             nullptr, 0, reinterpret_cast<void*>(id_));
    if (socket_ != nullptr) {
      configureSocket();
      sockaddr_conn local = connAddress(id_);
      const bool bound = usrsctp_bind(socket_, reinterpret_cast<sockaddr*>(&local), sizeof local) == 0;
      sockaddr_conn remote = connAddress(id_);
      const int connected = bound ? usrsctp_connect(socket_, reinterpret_cast<sockaddr*>(&remote), sizeof remote) : -1;
      if (!bound || (connected != 0 && errno != EINPROGRESS)) {
        usrsctp_close(socket_);
        socket_ = nullptr;
      }
    }
  }
  if (socket_ == nullptr) {
    log::warn("media", "sctp socket setup failed", {});
    setState(State::Closed);
    return;
  }
  setState(State::Connecting);
  flush();
}

void SctpAssociation::receive(std::span<const std::uint8_t> packet) {
  if (socket_ == nullptr || state_ == State::Closed) return;
  {
    std::lock_guard lock(SctpStack::instance().mutex());
    usrsctp_conninput(reinterpret_cast<void*>(id_), packet.data(), packet.size(), 0);
  }
  flush();
}

void SctpAssociation::tick() { flush(); }

void SctpAssociation::close() {
  if (state_ == State::Closed) return;
  {
    std::lock_guard lock(SctpStack::instance().mutex());
    if (socket_ != nullptr) usrsctp_close(socket_);  // an ABORT (SO_LINGER 0), queued
    socket_ = nullptr;
  }
  flush();
  setState(State::Closed);
}

bool SctpAssociation::isOpen(std::uint16_t stream) const {
  return std::any_of(channels_.begin(), channels_.end(), [&](const Channel& c) { return c.stream == stream; });
}

SctpAssociation::Channel* SctpAssociation::channel(std::uint16_t stream) {
  for (auto& c : channels_) {
    if (c.stream == stream) return &c;
  }
  return nullptr;
}

bool SctpAssociation::openChannel(std::uint16_t stream, std::string_view label) {
  if (channel(stream) != nullptr || state_ == State::Closed) return false;
  std::vector<std::uint8_t> open(DcepMessage::kOpenHeader + label.size());
  if (DcepMessage::writeOpen(open, label, "") == 0) return false;
  channels_.push_back(Channel{stream, std::string(label)});
  return sendRaw(stream, DcepMessage::kDcep, open);
}

bool SctpAssociation::send(std::uint16_t stream, bool binary, std::span<const std::uint8_t> data) {
  if (channel(stream) == nullptr || data.size() > limits_.maxDataMessageBytes) {
    ++counters_.dropped;
    return false;
  }
  if (!sendRaw(stream, binary ? DcepMessage::kBinary : DcepMessage::kString, data)) return false;
  ++counters_.messagesOut;
  return true;
}

bool SctpAssociation::sendRaw(std::uint16_t stream, std::uint32_t ppid, std::span<const std::uint8_t> data) {
  if (socket_ == nullptr || state_ == State::Closed) return false;
  // An empty message is one byte with its own PPID (RFC 8831 section 6.6).
  static const std::uint8_t kZero = 0;
  if (data.empty()) {
    ppid = ppid == DcepMessage::kBinary ? DcepMessage::kBinaryEmpty : DcepMessage::kStringEmpty;
    data = std::span(&kZero, 1);
  }
  sctp_sendv_spa spa{};
  spa.sendv_flags = SCTP_SEND_SNDINFO_VALID;
  spa.sendv_sndinfo.snd_sid = stream;
  spa.sendv_sndinfo.snd_ppid = htonl(ppid);
  spa.sendv_sndinfo.snd_flags = SCTP_EOR;
  ssize_t sent = 0;
  {
    std::lock_guard lock(SctpStack::instance().mutex());
    sent = usrsctp_sendv(socket_, data.data(), data.size(), nullptr, 0, &spa, sizeof spa, SCTP_SENDV_SPA, 0);
  }
  flush();
  if (sent < 0) {
    ++counters_.dropped;
    return false;
  }
  return true;
}

void SctpAssociation::resetStream(std::uint16_t stream) {
  std::array<std::uint8_t, sizeof(sctp_reset_streams) + sizeof(std::uint16_t)> storage{};
  auto* reset = reinterpret_cast<sctp_reset_streams*>(storage.data());
  reset->srs_assoc_id = SCTP_ALL_ASSOC;
  reset->srs_flags = SCTP_STREAM_RESET_OUTGOING;
  reset->srs_number_streams = 1;
  std::memcpy(storage.data() + sizeof(sctp_reset_streams), &stream, sizeof stream);
  {
    std::lock_guard lock(SctpStack::instance().mutex());
    if (socket_ != nullptr) {
      usrsctp_setsockopt(socket_, IPPROTO_SCTP, SCTP_RESET_STREAMS, storage.data(),
                         static_cast<socklen_t>(storage.size()));
    }
  }
  flush();
}

void SctpAssociation::queueOutgoing(std::span<const std::uint8_t> packet) {
  queue_.push_back(Event{EventKind::Packet, 0, 0, std::vector<std::uint8_t>(packet.begin(), packet.end())});
}

int SctpAssociation::onReceive(struct socket*, union sctp_sockstore, void* data, std::size_t length,
                               struct sctp_rcvinfo info, int flags, void* ulp) {
  // Called from inside a usrsctp call, so with the stack's mutex held. The data is ours to free.
  if (data == nullptr) return 1;
  SctpAssociation* self = SctpStack::instance().find(reinterpret_cast<std::uintptr_t>(ulp));
  if (self != nullptr) {
    self->queueReceived(static_cast<const std::uint8_t*>(data), length, info.rcv_sid,
                        ntohl(info.rcv_ppid), flags);
  }
  std::free(data);
  return 1;
}

void SctpAssociation::queueReceived(const std::uint8_t* data, std::size_t length, std::uint16_t stream,
                                    std::uint32_t ppid, int flags) {
  if ((flags & MSG_NOTIFICATION) != 0) {
    queue_.push_back(Event{EventKind::Notification, 0, 0, std::vector<std::uint8_t>(data, data + length)});
    return;
  }
  // Pieces of one message until MSG_EOR (usrsctp delivers a large message partially).
  if (!partialTooBig_ && partial_.size() + length <= limits_.maxDataMessageBytes) {
    partial_.insert(partial_.end(), data, data + length);
  } else {
    partialTooBig_ = true;
    partial_.clear();
  }
  if ((flags & MSG_EOR) == 0) return;
  if (partialTooBig_) {
    ++counters_.dropped;
  } else {
    queue_.push_back(Event{EventKind::Message, stream, ppid, std::move(partial_)});
  }
  partial_.clear();
  partialTooBig_ = false;
}

void SctpAssociation::flush() {
  if (flushing_) return;  // the outer flush picks up what this call queued
  flushing_ = true;
  for (;;) {
    {
      std::lock_guard lock(SctpStack::instance().mutex());
      if (queue_.empty()) break;
      handing_.swap(queue_);
    }
    for (auto& event : handing_) dispatch(event);
    handing_.clear();
  }
  flushing_ = false;
}

void SctpAssociation::dispatch(Event& event) {
  switch (event.kind) {
    case EventKind::Packet:
      listener_.onSctpSend(event.bytes);
      return;
    case EventKind::Notification:
      handleNotification(event.bytes);
      return;
    case EventKind::Message:
      break;
  }
  const std::span<const std::uint8_t> data(event.bytes);
  switch (event.ppid) {
    case DcepMessage::kDcep:
      handleDcep(event.stream, data);
      return;
    case DcepMessage::kString:
    case DcepMessage::kBinary:
    case DcepMessage::kStringEmpty:
    case DcepMessage::kBinaryEmpty:
      if (channel(event.stream) == nullptr) {
        ++counters_.dropped;
        return;
      }
      ++counters_.messagesIn;
      {
        const bool empty = event.ppid == DcepMessage::kStringEmpty || event.ppid == DcepMessage::kBinaryEmpty;
        const bool binary = event.ppid == DcepMessage::kBinary || event.ppid == DcepMessage::kBinaryEmpty;
        listener_.onChannelMessage(event.stream, binary, empty ? data.first(0) : data);
      }
      return;
    default:
      ++counters_.dropped;  // the deprecated partial PPIDs, or unknown
  }
}

void SctpAssociation::handleDcep(std::uint16_t stream, std::span<const std::uint8_t> data) {
  auto message = DcepMessage::parse(data);
  if (!message) {
    ++counters_.dropped;
    return;
  }
  if (message->type() == DcepMessage::Type::Ack) return;  // our own channel: already open
  if (channel(stream) != nullptr) {
    ++counters_.dropped;  // a second OPEN on a stream in use
    return;
  }
  if (channels_.size() >= limits_.maxDataChannelsPerTransport) {
    ++counters_.refusedChannels;
    resetStream(stream);
    return;
  }
  channels_.push_back(Channel{stream, std::string(message->label())});
  std::array<std::uint8_t, 1> ack{};
  DcepMessage::writeAck(ack);
  sendRaw(stream, DcepMessage::kDcep, ack);
  listener_.onChannelOpen(stream, message->label());
}

void SctpAssociation::handleNotification(std::span<const std::uint8_t> data) {
  if (data.size() < sizeof(NotificationHeader)) return;
  NotificationHeader header{};
  std::memcpy(&header, data.data(), sizeof header);
  if (header.sn_length > data.size()) return;
  if (header.sn_type == SCTP_ASSOC_CHANGE && data.size() >= sizeof(sctp_assoc_change)) {
    sctp_assoc_change change{};
    std::memcpy(&change, data.data(), sizeof change);
    if (change.sac_state == SCTP_COMM_UP || change.sac_state == SCTP_RESTART) {
      setState(State::Connected);
    } else if (change.sac_state == SCTP_COMM_LOST || change.sac_state == SCTP_SHUTDOWN_COMP ||
               change.sac_state == SCTP_CANT_STR_ASSOC) {
      setState(State::Closed);
    }
  } else if (header.sn_type == SCTP_SHUTDOWN_EVENT) {
    setState(State::Closed);
  } else if (header.sn_type == SCTP_STREAM_RESET_EVENT && data.size() >= sizeof(sctp_stream_reset_event)) {
    sctp_stream_reset_event reset{};
    std::memcpy(&reset, data.data(), sizeof reset);
    if ((reset.strreset_flags & (SCTP_STREAM_RESET_DENIED | SCTP_STREAM_RESET_FAILED)) != 0) return;
    if ((reset.strreset_flags & SCTP_STREAM_RESET_INCOMING_SSN) == 0) return;
    const std::size_t count = (std::min<std::size_t>(reset.strreset_length, data.size()) - sizeof reset) / 2;
    for (std::size_t i = 0; i < count; ++i) {
      std::uint16_t stream = 0;
      std::memcpy(&stream, data.data() + sizeof reset + 2 * i, sizeof stream);
      // The client closed its side of the channel: close ours (RFC 8831 section 6.7).
      auto it = std::find_if(channels_.begin(), channels_.end(), [&](const Channel& c) { return c.stream == stream; });
      if (it == channels_.end()) continue;
      channels_.erase(it);
      resetStream(stream);
      listener_.onChannelClosed(stream);
    }
  }
}

void SctpAssociation::setState(State state) {
  if (state_ == state || state_ == State::Closed) return;
  state_ = state;
  listener_.onSctpState(state);
}

}  // namespace aerie
