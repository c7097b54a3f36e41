// One simulated SkylinkJS 0.6.37 client: the API call (aerie), the WebSocket, Engine.IO 3 open
// and connect, joinRoom → inRoom → enter, and answering what room mates send (welcome, answer,
// candidates). The same state machine as bench/client.mjs, message for message.
#pragma once

#include "WsConnection.hpp"
#include "WsListener.hpp"

#include <boost/asio/ip/address_v4.hpp>
#include <boost/json/object.hpp>

#include <string>
#include <utility>
#include <vector>

namespace loadgen {

class Generator;

class Peer final : public WsListener {
 public:
  enum class JoinState { Waiting, Api, Socket, Joined, Failed };

  Peer(Generator& gen, int idx, std::string room, boost::asio::ip::address_v4 source);

  // Starts the join: API call (aerie), then the WebSocket.
  void startJoin();
  // Fails the join if it has run past its time (housekeeping, about once a second).
  void checkJoinDeadline(double now);
  // Engine.IO 3 client ping when due.
  void pingIfDue(double now);

  void send(std::string_view frame);
  void sendOffer(const std::string& sid);
  void sendBye();
  void sendClose() { ws_.sendClose(); }
  void terminate() { ws_.terminate(); }
  bool isOpen() const { return ws_.isOpen(); }

  int idx() const { return idx_; }
  const std::string& sid() const { return sid_; }
  std::vector<std::string>& mates() { return mates_; }
  std::size_t nextMate() { return nextMate_++; }
  JoinState joinState() const { return joinState_; }

  // WsListener
  void onWsOpen() override;
  void onWsText(std::string_view text) override;
  void onWsError(std::string_view kind, std::string_view detail, bool protocol) override;
  void onWsClosed() override;

 private:
  void openSocket();
  void onApiReply(const std::string& error, int status, std::string body);
  void onMessage(const boost::json::object& msg, std::string_view text);
  void onTrafficFrame(std::string_view text);
  void joined();
  void joinFailed(std::string_view why);
  void addMate(std::string_view sid);

  Generator& gen_;
  int idx_;
  std::string room_;
  boost::asio::ip::address_v4 source_;
  WsConnection ws_;
  JoinState joinState_ = JoinState::Waiting;
  std::string sid_;
  std::vector<std::string> mates_;  // sids of the others in the room
  std::size_t nextMate_ = 0;
  std::string joinRoomFrame_;       // built from the API reply, sent on "40"
  bool joinRoomSent_ = false;
  bool gotWelcome_ = false;
  bool pingOutstanding_ = false;
  int pingIntervalMs_ = 25000;
  double lastPing_ = 0;
  double t0api_ = 0;
  double t0socket_ = 0;
  double tJoinSent_ = 0;
  double tEnter_ = 0;
  std::vector<std::pair<std::string, double>> offersOut_;  // sid → when the offer left
};

}  // namespace loadgen
