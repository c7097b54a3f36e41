#pragma once
// One client's SCTP association over its DTLS transport, and the WebRTC data channels on it
// (RFC 8831, DCEP RFC 8832). Both ends connect, as browsers do (the INITs cross). A channel the
// client opens (DATA_CHANNEL_OPEN) is acknowledged and announced to the listener; its messages
// go up whole (partial deliveries are put together, up to maxDataMessageBytes); a channel the
// client closes (an incoming stream reset) is reset on our side too and announced.
//
// Threads: every call into usrsctp holds SctpStack's mutex, and what usrsctp produces during a
// call (packets for DTLS, messages, notifications) is queued here; flush() hands it to the
// listener without the mutex, on the association's own loop. The entry points below flush
// before they return; tick() flushes what the stack's timers queued from another loop.
#include <cstddef>
#include <cstdint>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "core/Limits.hpp"

struct socket;
union sctp_sockstore;
struct sctp_rcvinfo;

namespace aerie {

class SctpAssociation {
 public:
  // Connecting until the association is up; Closed on ABORT, SHUTDOWN, lost, or close();
  // final.
  enum class State : std::uint8_t { New, Connecting, Connected, Closed };
  static const char* toString(State state);

  class Listener {
   public:
    virtual ~Listener() = default;
    // An SCTP packet for the DTLS transport, valid during the call.
    virtual void onSctpSend(std::span<const std::uint8_t> packet) = 0;
    virtual void onSctpState(State state) = 0;
    virtual void onChannelOpen(std::uint16_t stream, std::string_view label) = 0;
    // A whole message, valid during the call; `binary` from its PPID.
    virtual void onChannelMessage(std::uint16_t stream, bool binary,
                                  std::span<const std::uint8_t> data) = 0;
    virtual void onChannelClosed(std::uint16_t stream) = 0;
  };

  struct Counters {
    std::uint64_t messagesIn = 0;
    std::uint64_t messagesOut = 0;
    std::uint64_t dropped = 0;  // too big, on no open channel, a bad DCEP message, refused by the stack
    std::uint64_t refusedChannels = 0;  // over maxDataChannelsPerTransport
  };

  // The SCTP port both ends use (a=sctp-port), as every browser does.
  static constexpr std::uint16_t kPort = 5000;
  // The SCTP packet size: the IPv6 minimum MTU (1280) less IPv6 (40), UDP (8), a DTLS 1.2
  // record with AES-GCM (13 + 8 + 16) and a TURN channel header (4).
  static constexpr std::uint32_t kMtu = 1191;

  SctpAssociation(const Limits& limits, Listener& listener);
  ~SctpAssociation();
  SctpAssociation(const SctpAssociation&) = delete;
  SctpAssociation& operator=(const SctpAssociation&) = delete;

  void start();
  // One SCTP packet from DTLS application data.
  void receive(std::span<const std::uint8_t> packet);
  // A channel of our own on `stream` (reliable, ordered): sends DATA_CHANNEL_OPEN. The client's
  // side of a data channel (the bot, tests); the SFU only answers. False if the stream is taken.
  bool openChannel(std::uint16_t stream, std::string_view label);
  // A message on an open channel; false if it is not open, too big, or the stack refused it
  // (its send buffer is full).
  bool send(std::uint16_t stream, bool binary, std::span<const std::uint8_t> data);
  // Hands over what the stack's timers queued from another loop.
  void tick();
  void close();

  State state() const { return state_; }
  const Counters& counters() const { return counters_; }
  bool isOpen(std::uint16_t stream) const;

  // From SctpStack's output callback, with the stack's mutex held.
  void queueOutgoing(std::span<const std::uint8_t> packet);

 private:
  enum class EventKind : std::uint8_t { Packet, Message, Notification };
  struct Event {
    EventKind kind;
    std::uint16_t stream = 0;
    std::uint32_t ppid = 0;
    std::vector<std::uint8_t> bytes;
  };
  struct Channel {
    std::uint16_t stream;
    std::string label;
  };

  static int onReceive(struct socket* socket, union sctp_sockstore address, void* data,
                       std::size_t length, struct sctp_rcvinfo info, int flags, void* ulp);
  // With the stack's mutex held.
  void queueReceived(const std::uint8_t* data, std::size_t length, std::uint16_t stream,
                     std::uint32_t ppid, int flags);
  void configureSocket();
  void flush();
  void dispatch(Event& event);
  void handleDcep(std::uint16_t stream, std::span<const std::uint8_t> data);
  void handleNotification(std::span<const std::uint8_t> data);
  void resetStream(std::uint16_t stream);
  bool sendRaw(std::uint16_t stream, std::uint32_t ppid, std::span<const std::uint8_t> data);
  void setState(State state);
  Channel* channel(std::uint16_t stream);

  const Limits& limits_;
  Listener& listener_;
  std::uintptr_t id_ = 0;
  struct socket* socket_ = nullptr;
  State state_ = State::New;
  std::vector<Event> queue_;  // guarded by SctpStack's mutex
  std::vector<Event> handing_;  // taken from queue_ by flush()
  std::vector<std::uint8_t> partial_;  // a message arriving in pieces
  bool partialTooBig_ = false;
  bool flushing_ = false;
  std::vector<Channel> channels_;
  Counters counters_;
};

}  // namespace aerie
