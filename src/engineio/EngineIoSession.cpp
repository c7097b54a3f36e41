#include "engineio/EngineIoSession.hpp"

#include "codec/SocketIoCodec.hpp"

namespace aerie {
namespace {

std::shared_ptr<const std::string> constant(const char* text) {
  return std::make_shared<const std::string>(text);
}
const std::shared_ptr<const std::string>& pingPacket() { static auto p = constant("2"); return p; }
const std::shared_ptr<const std::string>& pongPacket() { static auto p = constant("3"); return p; }
const std::shared_ptr<const std::string>& connectPacket() { static auto p = constant("40"); return p; }

}  // namespace

const char* EngineIoSession::toString(State s) {
  switch (s) {
    case State::Open: return "open";
    case State::Closing: return "closing";
    case State::Closed: return "closed";
  }
  return "?";
}

EngineIoSession::EngineIoSession(std::string sid, EioVersion v, Transport t, const Limits& limits,
                                 SessionListener& listener, std::int64_t nowMs)
    : sid_(std::move(sid)), version_(v), limits_(limits), listener_(listener), transport_(t),
      lastSeenMs_(nowMs), lastPingMs_(nowMs) {}

EngineIoSession::Transport EngineIoSession::transport() const {
  std::lock_guard lock(mutex_);
  return transport_;
}

EngineIoSession::State EngineIoSession::state() const {
  std::lock_guard lock(mutex_);
  return state_;
}

void EngineIoSession::start(bool offerUpgrade) {
  enqueue(std::make_shared<const std::string>(
      EngineIoCodec::openPacket(version_, sid_, offerUpgrade, limits_.pingIntervalMs,
                                limits_.pingTimeoutMs, limits_.maxFrameBytes)));
  if (version_ == EioVersion::V3) {
    // Engine.IO 3 servers (socket.io 1.x/2.x) connect the default namespace by themselves.
    sioConnected_ = true;
    enqueue(connectPacket());
    listener_.onOpen(shared_from_this());
  }
}

bool EngineIoSession::receive(std::string_view packet, std::int64_t nowMs) {
  lastSeenMs_.store(nowMs, std::memory_order_relaxed);
  if (packet.empty() || packet.size() > limits_.maxFrameBytes) return false;
  switch (static_cast<EioType>(packet[0])) {
    case EioType::Ping:
      // v3: the client pings and we answer. v4 clients ping only to probe an upgrade.
      if (packet.substr(1) == "probe") enqueue(constant("3probe"));
      else enqueue(pongPacket());
      return true;
    case EioType::Pong: {
      std::lock_guard lock(mutex_);
      pingOutstanding_ = false;
      return true;
    }
    case EioType::Message:
      return receiveMessage(packet.substr(1));
    case EioType::Close:
      return false;
    case EioType::Upgrade:
    case EioType::Noop:
      return true;
    default:
      return false;
  }
}

bool EngineIoSession::receiveMessage(std::string_view text) {
  auto sio = SocketIoCodec::parse(text);
  if (!sio) return false;
  if (sio->nsp != "/") {
    // Skylink uses the default namespace only.
    enqueue(std::make_shared<const std::string>(
        "44" + std::string(sio->nsp) + ",{\"message\":\"Invalid namespace\"}"));
    return true;
  }
  switch (sio->type) {
    case SioType::Connect:
      if (!sioConnected_) {
        sioConnected_ = true;
        enqueue(std::make_shared<const std::string>("40{\"sid\":\"" + sid_ + "\"}"));
        listener_.onOpen(shared_from_this());
      }
      return true;
    case SioType::Disconnect:
      return false;
    case SioType::Event: {
      if (!sioConnected_) return true;  // an event before connect: ignored
      SioEvent event = SocketIoCodec::messageArgument(sio->data);
      if (event.kind == SioEventKind::Message) {
        listener_.onMessage(shared_from_this(), std::move(event.json));
      } else {
        listener_.onUnusableEvent(shared_from_this(), event.kind);
      }
      return true;
    }
    default:
      return true;
  }
}

void EngineIoSession::send(std::shared_ptr<const std::string> packet) { enqueue(std::move(packet)); }

void EngineIoSession::enqueue(std::shared_ptr<const std::string> packet) {
  std::unique_lock lock(mutex_);
  if (state_ != State::Open) return;
  if (queuedBytes_ + packet->size() > limits_.maxWriteQueueBytes) {
    // A reader this slow is dropped, not buffered without end.
    queue_.clear();
    queuedBytes_ = 0;
    state_ = State::Closing;
  } else {
    queuedBytes_ += packet->size();
    queue_.push_back(std::move(packet));
  }
  wake(lock);
}

void EngineIoSession::close() {
  std::unique_lock lock(mutex_);
  if (state_ != State::Open) return;
  state_ = State::Closing;
  wake(lock);
}

void EngineIoSession::rehome(unsigned shard) {
  shard_.store(shard, std::memory_order_release);
  std::unique_lock lock(mutex_);
  wake(lock);
}

void EngineIoSession::wake(std::unique_lock<std::mutex>& lock) {
  auto waker = waker_.lock();
  lock.unlock();
  if (waker) waker->wake();
}

std::vector<std::shared_ptr<const std::string>> EngineIoSession::drain() {
  std::vector<std::shared_ptr<const std::string>> out;
  drainInto(out);
  return out;
}

void EngineIoSession::drainInto(std::vector<std::shared_ptr<const std::string>>& out) {
  out.clear();
  std::lock_guard lock(mutex_);
  out.swap(queue_);
  queuedBytes_ = 0;
}

void EngineIoSession::setWaker(std::weak_ptr<SessionWaker> waker) {
  std::unique_lock lock(mutex_);
  waker_ = std::move(waker);
  bool pending = !queue_.empty() || state_ != State::Open;
  if (pending) wake(lock);
}

bool EngineIoSession::beginPoll() {
  std::lock_guard lock(mutex_);
  if (pollPending_) return false;
  pollPending_ = true;
  return true;
}

void EngineIoSession::endPoll() {
  std::lock_guard lock(mutex_);
  pollPending_ = false;
}

void EngineIoSession::upgradeToWebSocket() {
  std::unique_lock lock(mutex_);
  transport_ = Transport::WebSocket;
  wake(lock);  // a pending poll returns (with a noop) and the WebSocket writer takes over
}

bool EngineIoSession::checkTimers(std::int64_t nowMs) {
  std::int64_t idle = nowMs - lastSeenMs_.load(std::memory_order_relaxed);
  if (version_ == EioVersion::V3) {
    // The client pings every pingInterval; silence beyond interval + timeout means gone.
    return idle <= static_cast<std::int64_t>(limits_.pingIntervalMs + limits_.pingTimeoutMs);
  }
  bool sendPing = false;
  {
    std::lock_guard lock(mutex_);
    if (pingOutstanding_) {
      if (nowMs - lastPingMs_ > static_cast<std::int64_t>(limits_.pingTimeoutMs)) return false;
    } else if (nowMs - lastPingMs_ >= static_cast<std::int64_t>(limits_.pingIntervalMs)) {
      pingOutstanding_ = true;
      lastPingMs_ = nowMs;
      sendPing = true;
    }
  }
  if (sendPing) enqueue(pingPacket());
  return true;
}

void EngineIoSession::markClosed() {
  {
    std::unique_lock lock(mutex_);
    state_ = State::Closed;
    queue_.clear();
    queuedBytes_ = 0;
    wake(lock);
  }
  if (!closedNotified_.exchange(true)) listener_.onClose(shared_from_this());
}

}  // namespace aerie
