#pragma once
// One simulated SkylinkJS 2.7.2 client in an SFU room: the room API, the socket.io WebSocket
// (Engine.IO 3, what 2.7.2's socket.io-client 2.x speaks), joinRoom → inRoom, `enter` to MCU →
// `welcome` from MCU, its offer (Opus + VP8, mediaInfoList) → the MCU's answer → answerAck,
// then ICE/DTLS/SRTP (BotTransport), publishing (Publisher) and receiving (ReceivedTrack per
// forwarded track). The MCU's renegotiation offers, which add another publisher's tracks or
// end a leaver's, are answered at once. The states follow the join; renegotiations happen in
// any state from Connecting on.
#include <boost/json/object.hpp>

#include <chrono>
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "BotSdp.hpp"
#include "BotTransport.hpp"
#include "Publisher.hpp"
#include "ReceivedTrack.hpp"
#include "WsConnection.hpp"
#include "WsListener.hpp"

namespace aerie::bot {

class BotLoop;
struct BotRun;

class BotClient final : public loadgen::WsListener, private BotTransport::Listener {
 public:
  using Clock = std::chrono::steady_clock;

  // New → Api → Socket (WebSocket, Engine.IO open) → Joining (joinRoom sent) → Entering (enter
  // sent) → Offering (offer sent) → Connecting (answer applied, ICE and DTLS) → Media.
  // Failed is final; failure() says why.
  enum class State : std::uint8_t { New, Api, Socket, Joining, Entering, Offering, Connecting, Media, Failed };
  static const char* toString(State state);

  BotClient(BotLoop& loop, BotRun& run, std::size_t index, std::string room, std::size_t roomPeers);
  ~BotClient() override;

  void start();
  // Signaling deadlines, Engine.IO pings, ICE and DTLS timers (every few tens of ms).
  void tick(Clock::time_point now);
  // Media due by now (every millisecond).
  void pace(Clock::time_point now);
  void stop();

  State state() const { return state_; }
  const std::string& failure() const { return failure_; }
  const std::string& room() const { return room_; }
  const std::string& sid() const { return sid_; }
  std::size_t index() const { return index_; }
  // Room mates with both audio and video frames received.
  std::size_t matesWithMedia() const;
  bool complete() const { return reportedComplete_; }
  const std::vector<std::unique_ptr<ReceivedTrack>>& tracks() const { return tracks_; }
  const Publisher* publisher() const { return publisher_.get(); }
  const BotTransport* transport() const { return transport_.get(); }
  std::uint64_t unknownSsrcPackets() const { return unknownSsrc_; }
  double joinMs() const { return joinMs_; }

  // WsListener
  void onWsOpen() override {}
  void onWsText(std::string_view text) override;
  void onWsError(std::string_view kind, std::string_view detail, bool protocol) override;
  void onWsClosed() override;

 private:
  // BotTransport::Listener
  void onTransportState(BotTransport::State state, std::string_view why) override;
  void onRtp(RtpPacket& packet, Clock::time_point arrival) override;
  void onRtcp(std::span<std::uint8_t> compound) override;

  void onApiReply(const std::string& error, int status, std::string body);
  void onMessage(const boost::json::object& msg);
  void onWelcome();
  void onAnswer(const boost::json::object& msg);
  void onOffer(const boost::json::object& msg);
  void send(const boost::json::object& msg);
  void requestKeyframe(std::uint32_t ssrc);
  void onRecordingEvent(const boost::json::object& msg);
  // A receiver report of every track received, once a second, as a browser sends.
  void sendReceiverReports();
  void checkComplete();
  void fail(std::string why);
  void setState(State state);

  BotLoop& loop_;
  BotRun& run_;
  std::size_t index_;
  std::string room_;
  std::size_t roomPeers_;
  State state_ = State::New;
  std::string failure_;
  loadgen::WsConnection ws_;
  std::string joinRoomFrame_;
  std::string roomKey_;  // rid
  std::string sid_;
  LocalMedia local_;
  boost::json::object userInfo_;
  double weight_;
  std::unique_ptr<BotTransport> transport_;
  std::unique_ptr<Publisher> publisher_;
  std::vector<std::unique_ptr<ReceivedTrack>> tracks_;
  std::uint64_t unknownSsrc_ = 0;
  std::uint16_t absSendTimeId_ = 0;  // as agreed for our own packets (every bot offers the same)
  bool recordingAsked_ = false;
  int pingIntervalMs_ = 25000;
  Clock::time_point started_{};
  Clock::time_point lastPing_{};
  Clock::time_point nextReceiverReport_{};
  double joinMs_ = 0;  // start → first media from every room mate
  bool reportedComplete_ = false;
};

}  // namespace aerie::bot
