#include "BotClient.hpp"

#include <boost/json/parse.hpp>
#include <boost/json/serialize.hpp>

#include <algorithm>
#include <random>
#include <set>

#include "BotLoop.hpp"
#include "BotRun.hpp"
#include "SkylinkMessages.hpp"
#include "Wire.hpp"
#include "codec/RtcpPacket.hpp"
#include "codec/RtcpWriter.hpp"
#include "codec/SdpDescription.hpp"

namespace aerie::bot {

namespace json = boost::json;

namespace {

constexpr std::string_view kMcu = "MCU";
// What SkylinkJS 2.7.2's socket.io-client 2.x opens (Engine.IO 3).
constexpr std::string_view kSocketTarget =
    "/socket.io/?EIO=3&transport=websocket&Skylink_SDK_type=WEB_SDK&Skylink_SDK_version=2.7.2";

std::string_view stringField(const json::object& o, std::string_view key) {
  const json::value* v = o.if_contains(key);
  return v != nullptr && v->is_string() ? std::string_view(v->get_string()) : std::string_view();
}

double randomWeight() {
  thread_local std::mt19937_64 rng{std::random_device{}()};
  return static_cast<double>(rng() >> 11) / 9007199254740992.0 * 1e15;
}

}  // namespace

const char* BotClient::toString(State state) {
  switch (state) {
    case State::New:
      return "new";
    case State::Api:
      return "api";
    case State::Socket:
      return "socket";
    case State::Joining:
      return "joining";
    case State::Entering:
      return "entering";
    case State::Offering:
      return "offering";
    case State::Connecting:
      return "connecting";
    case State::Media:
      return "media";
    case State::Failed:
      return "failed";
  }
  return "?";
}

BotClient::BotClient(BotLoop& loop, BotRun& run, std::size_t index, std::string room, std::size_t roomPeers)
    : loop_(loop),
      run_(run),
      index_(index),
      room_(std::move(room)),
      roomPeers_(roomPeers),
      ws_(loop.io(), *this),
      weight_(randomWeight()) {
  const auto& video = run.options.video;
  userInfo_ = SkylinkMessages::userInfo(video.width, video.height, video.fps);
}

BotClient::~BotClient() = default;

void BotClient::setState(State state) {
  if (state_ == State::Failed) return;
  state_ = state;
}

void BotClient::fail(std::string why) {
  if (state_ == State::Failed) return;
  failure_ = std::string("in state ") + toString(state_) + ": " + why;
  state_ = State::Failed;
  run_.failed.fetch_add(1, std::memory_order_relaxed);
  if (transport_) transport_->close();
  ws_.terminate();
}

void BotClient::start() {
  started_ = Clock::now();
  setState(State::Api);
  const auto wall = std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::system_clock::now().time_since_epoch());
  const std::string path = "/api/" + run_.options.appKey + "/" + loadgen::wire::encodeUriComponent(room_) + "?rand=" + std::to_string(wall.count());
  loop_.api().get(loop_.source(), path, [this](const std::string& error, int status, std::string body) {
    onApiReply(error, status, std::move(body));
  });
}

void BotClient::onApiReply(const std::string& error, int status, std::string body) {
  if (state_ != State::Api) return;
  if (!error.empty()) return fail("room API: " + error);
  boost::system::error_code ec;
  json::value v = json::parse(body, ec);
  if (ec || !v.is_object() || status != 200) return fail("room API: " + std::to_string(status) + " " + body.substr(0, 200));
  const json::object& session = v.as_object();
  const json::value* ok = session.if_contains("success");
  if (ok == nullptr || !ok->is_bool() || !ok->get_bool()) return fail("room API: " + body.substr(0, 200));
  const json::value* mcu = session.if_contains("hasMCU");
  if (mcu == nullptr || !mcu->is_bool() || !mcu->get_bool()) {
    return fail("the room API says hasMCU is not true: the app is not in SFU mode (aerie app create --media sfu)");
  }
  roomKey_ = std::string(stringField(session, "room_key"));
  joinRoomFrame_ = loadgen::wire::sioFrame(loadgen::wire::joinRoomFromApi(session, run_.options.appKey));
  setState(State::Socket);
  lastPing_ = Clock::now();
  ws_.connect(loop_.source(), run_.server, kSocketTarget);
}

void BotClient::send(const json::object& msg) {
  if (ws_.isOpen()) ws_.sendText(loadgen::wire::sioFrame(msg));
}

void BotClient::onWsText(std::string_view text) {
  if (text == "3") return;  // Engine.IO pong
  const loadgen::wire::Parsed p = loadgen::wire::parse(text);
  switch (p.kind) {
    case loadgen::wire::Kind::Open:
      pingIntervalMs_ = p.pingIntervalMs;
      return;
    case loadgen::wire::Kind::Connect:
      if (state_ != State::Socket) return;
      setState(State::Joining);
      ws_.sendText(joinRoomFrame_);
      std::string().swap(joinRoomFrame_);
      return;
    case loadgen::wire::Kind::Message:
      return onMessage(p.message);
    case loadgen::wire::Kind::Pong:
    case loadgen::wire::Kind::Unexpected:
      return;
  }
}

void BotClient::onWsError(std::string_view kind, std::string_view detail, bool) {
  fail("socket " + std::string(kind) + ": " + std::string(detail));
}

void BotClient::onWsClosed() {
  if (state_ != State::Failed && !loop_.stopping()) fail("the server closed the socket");
}

void BotClient::onMessage(const json::object& msg) {
  const std::string_view type = stringField(msg, "type");
  if (type == "inRoom") {
    if (state_ != State::Joining) return;
    sid_ = std::string(stringField(msg, "sid"));
    if (sid_.empty()) return fail("inRoom without a sid");
    run_.registerSid(sid_, index_);
    setState(State::Entering);
    send(SkylinkMessages::enter(sid_, weight_, userInfo_));
    return;
  }
  if (type == "redirect" && stringField(msg, "action") == "reject") {
    return fail("rejected: " + std::string(stringField(msg, "reason")) + " " + std::string(stringField(msg, "info")));
  }
  if (stringField(msg, "mid") != kMcu) return;  // room mates' chat and events: not the bot's business
  if (type == "recordingEvent") return onRecordingEvent(msg);
  if (type == "welcome") return onWelcome();
  if (type == "answer") return onAnswer(msg);
  if (type == "offer") return onOffer(msg);
  // answerAck (of our answers), enter (a newcomer, forwarded), activeSpeaker, mediaInfoEvent:
  // nothing to do.
}

void BotClient::onWelcome() {
  if (state_ != State::Entering) return;
  try {
    transport_ = std::make_unique<BotTransport>(loop_.io(), loop_.source(), run_.certificate, run_.limits,
                                                static_cast<BotTransport::Listener&>(*this));
  } catch (const std::exception& e) {
    return fail(std::string("media socket: ") + e.what());
  }
  local_.iceUfrag = transport_->localIce().ufrag;
  local_.icePwd = transport_->localIce().password;
  const std::string& fingerprint = transport_->fingerprint();  // "sha-256 AB:CD:..."
  local_.fingerprint = fingerprint.substr(fingerprint.find(' ') + 1);
  local_.streamId = "bot" + std::to_string(index_) + "-" + sid_.substr(0, 8);
  local_.cname = local_.streamId;
  local_.audioSsrc = run_.audioSsrc(index_);
  local_.videoSsrc = run_.videoSsrc(index_, 0);
  local_.rids = BotRun::rids(run_.options);
  std::vector<Publisher::VideoLayer> layers;
  for (std::size_t i = 0; i < loop_.video().size(); ++i) {
    layers.push_back({run_.videoSsrc(index_, i), &loop_.video()[i], local_.rids.empty() ? std::string() : local_.rids[i]});
  }
  // Phases spread over the 20 ms audio period by client number.
  const double phase = static_cast<double>((index_ * 7) % 20) / 20.0;
  publisher_ = std::make_unique<Publisher>(index_, local_.audioSsrc, std::move(layers), loop_.audio(), run_.sendTimes,
                                           loop_.epoch(), phase);
  setState(State::Offering);
  const PublishedIds ids{sid_, local_.streamId, BotSdp::kAudioMid, BotSdp::kVideoMid};
  send(SkylinkMessages::offer(sid_, BotSdp::offer(local_), weight_, userInfo_, SkylinkMessages::mediaInfoList(ids)));
}

void BotClient::onAnswer(const json::object& msg) {
  if (state_ != State::Offering) return;
  const std::string text(stringField(msg, "sdp"));
  const auto sdp = SdpDescription::parse(text);
  if (!sdp) return fail("the MCU's answer is not SDP");
  std::string why;
  const auto remote = BotSdp::readAnswer(*sdp, why);
  if (!remote) return fail(why);
  boost::system::error_code ec;
  const auto address = boost::asio::ip::make_address_v4(remote->address, ec);
  if (ec || !loadgen::isLoopback(address)) return fail("the answer's candidate " + remote->address + " is not loopback");
  if (remote->rids.size() != local_.rids.size()) {
    return fail("the answer takes " + std::to_string(remote->rids.size()) + " of the " + std::to_string(local_.rids.size()) +
                " simulcast layers offered");
  }
  absSendTimeId_ = remote->absSendTimeExtension;
  publisher_->configure(*remote);
  setState(State::Connecting);
  send(SkylinkMessages::answerAck(sid_));
  transport_->start(boost::asio::ip::udp::endpoint(address, remote->port), remote->iceUfrag, remote->icePwd,
                    remote->fingerprint, Clock::now());
}

void BotClient::onOffer(const json::object& msg) {
  if (!transport_ || state_ == State::Offering) return;  // a crossing offer: ours wins (the MCU's weight is lowest)
  const std::string text(stringField(msg, "sdp"));
  const auto sdp = SdpDescription::parse(text);
  if (!sdp) return fail("the MCU's offer is not SDP");
  // Which publisher each section's track is, from mediaInfoList's transceiverMid.
  std::vector<std::pair<std::string, std::string>> publisherOfMid;
  if (const json::value* infos = msg.if_contains("mediaInfoList"); infos != nullptr && infos->is_array()) {
    for (const auto& info : infos->get_array()) {
      if (const auto* o = info.if_object()) {
        publisherOfMid.emplace_back(std::string(stringField(*o, "transceiverMid")), std::string(stringField(*o, "publisherId")));
      }
    }
  }
  for (const OfferedTrack& t : BotSdp::offeredTracks(*sdp)) {
    if (!t.active) continue;
    const bool known = std::any_of(tracks_.begin(), tracks_.end(), [&](const auto& r) { return r->ssrc() == t.ssrc; });
    if (known) continue;
    std::string publisher;
    for (const auto& [mid, id] : publisherOfMid) {
      if (mid == t.mid) publisher = id;
    }
    // The stamp comes under the id the section names, else (the SFU forwards the publisher's
    // extension elements as they are) the one every bot publisher uses.
    const std::uint16_t stampId = t.absSendTimeExtension != 0 ? t.absSendTimeExtension : absSendTimeId_;
    tracks_.push_back(std::make_unique<ReceivedTrack>(publisher, t.kind, t.ssrc, run_.options.decode, run_.clientOf(publisher),
                                                      static_cast<std::uint8_t>(stampId <= 14 ? stampId : 0)));
  }
  const PublishedIds ids{sid_, local_.streamId, BotSdp::kAudioMid, BotSdp::kVideoMid};
  send(SkylinkMessages::answer(sid_, BotSdp::answer(*sdp, local_), userInfo_, SkylinkMessages::mediaInfoList(ids)));
}

void BotClient::onTransportState(BotTransport::State state, std::string_view why) {
  if (state == BotTransport::State::Connected) {
    setState(State::Media);
  } else if (state == BotTransport::State::Failed) {
    fail("media transport: " + std::string(why));
  } else if (state == BotTransport::State::Closed && !loop_.stopping()) {
    fail("media transport closed: " + std::string(why));
  }
}

void BotClient::onRtp(RtpPacket& packet, Clock::time_point arrival) {
  const std::uint32_t ssrc = packet.ssrc();
  for (auto& t : tracks_) {
    if (t->ssrc() != ssrc) continue;
    const bool wasEmpty = t->counters().frames == 0;
    if (t->receive(packet, arrival, run_.measuring.load(std::memory_order_relaxed), run_.sendTimes, loop_.latency())) {
      requestKeyframe(ssrc);
    }
    if (wasEmpty && t->counters().frames != 0) checkComplete();
    return;
  }
  ++unknownSsrc_;
}

void BotClient::onRtcp(std::span<std::uint8_t> compound) {
  if (!publisher_) return;
  std::span<const std::uint8_t> rest = compound;
  while (!rest.empty()) {
    const auto p = RtcpPacket::first(rest);
    if (!p) return;
    const bool fir = p->type() == RtcpPacket::PayloadFeedback && p->count() == RtcpPacket::kFir;
    if (fir) {
      publisher_->keyframeRequested(0);
    } else if (const auto ssrc = p->mediaSsrc(); p->isPli() && ssrc && *ssrc != 0) {
      publisher_->keyframeRequested(*ssrc);
    }
    rest = rest.subspan(p->size());
  }
}

void BotClient::requestKeyframe(std::uint32_t ssrc) {
  if (!transport_) return;
  std::array<std::uint8_t, RtcpWriter::kPliSize + BotTransport::kSrtpOverhead> out{};
  const std::size_t n = RtcpWriter::pli(out, local_.videoSsrc, ssrc);
  transport_->sendRtcp(out, n);
}

std::size_t BotClient::matesWithMedia() const {
  std::set<std::string_view> audio;
  std::set<std::string_view> video;
  for (const auto& t : tracks_) {
    if (t->counters().frames == 0 || t->publisherId().empty()) continue;
    (t->video() ? video : audio).insert(t->publisherId());
  }
  std::size_t both = 0;
  for (auto id : video) both += audio.count(id);
  return both;
}

void BotClient::checkComplete() {
  if (reportedComplete_ || matesWithMedia() + 1 < roomPeers_) return;
  reportedComplete_ = true;
  joinMs_ = std::chrono::duration<double, std::milli>(Clock::now() - started_).count();
  run_.complete.fetch_add(1, std::memory_order_relaxed);
  // The room's first client starts its recording, as SkylinkJS 2.x's startRecording(room) does.
  if (run_.options.record && index_ % roomPeers_ == 0 && !recordingAsked_) {
    recordingAsked_ = true;
    json::object start;
    start["type"] = "startRecordingRoom";
    start["rid"] = roomKey_;
    start["target"] = kMcu;
    send(start);
    run_.recordingsRequested.fetch_add(1, std::memory_order_relaxed);
  }
}

void BotClient::onRecordingEvent(const json::object& msg) {
  if (!recordingAsked_) return;  // the room's other members hear it too
  const std::string_view action = stringField(msg, "action");
  if (action == "on") run_.recordingsOn.fetch_add(1, std::memory_order_relaxed);
  if (action == "error") run_.recordingErrors.fetch_add(1, std::memory_order_relaxed);
}

void BotClient::sendReceiverReports() {
  std::array<RtcpReportBlock, 31> blocks{};  // the most one report holds
  std::size_t n = 0;
  auto flush = [&] {
    if (n == 0) return;
    std::array<std::uint8_t, 8 + 24 * 31 + BotTransport::kSrtpOverhead> out{};
    const std::size_t size = RtcpWriter::receiverReport(out, local_.audioSsrc, std::span(blocks.data(), n));
    if (size != 0) transport_->sendRtcp(out, size);
    n = 0;
  };
  for (auto& t : tracks_) {
    const auto block = t->reportBlock();
    if (!block) continue;
    blocks[n++] = *block;
    if (n == blocks.size()) flush();
  }
  flush();
}

void BotClient::tick(Clock::time_point now) {
  if (state_ == State::Failed) return;
  if (transport_) transport_->tick(now);
  if (state_ == State::Media && now >= nextReceiverReport_) {
    nextReceiverReport_ = now + std::chrono::seconds(1);
    sendReceiverReports();
  }
  if (ws_.isOpen() && now - lastPing_ >= std::chrono::milliseconds(pingIntervalMs_)) {
    lastPing_ = now;
    ws_.sendText("2");  // Engine.IO 3: the client pings
  }
}

void BotClient::pace(Clock::time_point now) {
  if (state_ == State::Media) publisher_->pace(now, *transport_);
}

void BotClient::stop() {
  if (ws_.isOpen()) {
    json::object bye;
    bye["type"] = "bye";
    bye["mid"] = sid_;
    bye["target"] = kMcu;
    bye["publisherId"] = sid_;
    send(bye);
    ws_.sendClose();
  }
  if (transport_) transport_->close();
}

}  // namespace aerie::bot
