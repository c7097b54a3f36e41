#pragma once
// One Engine.IO session (one socket.io client), independent of the transport carrying it
// (polling requests or a WebSocket). Thread-safe: the Hub sends from its loop, the transport
// reads and writes from the connection's loop; a per-session mutex guards the queue.
#include <atomic>
#include <cstdint>
#include <deque>
#include <memory>
#include <mutex>
#include <string>
#include <vector>

#include "core/Limits.hpp"
#include "hub/PeerSink.hpp"
#include "codec/EngineIoCodec.hpp"
#include "engineio/SessionListener.hpp"
#include "engineio/SessionWaker.hpp"

namespace aerie {

class EngineIoSession : public PeerSink, public std::enable_shared_from_this<EngineIoSession> {
 public:
  enum class Transport { Polling, WebSocket };
  enum class State { Open, Closing, Closed };
  static const char* toString(State s);

  EngineIoSession(std::string sid, EioVersion v, Transport t, const Limits& limits,
                  SessionListener& listener, std::int64_t nowMs);

  const std::string& sid() const { return sid_; }
  EioVersion version() const { return version_; }
  Transport transport() const;
  State state() const;

  // Queues the open packet (and for v3 the server-pushed socket.io connect `40`).
  void start(bool offerUpgrade);
  // One inbound Engine.IO packet. False: the session must close (close packet, bad data).
  bool receive(std::string_view packet, std::int64_t nowMs);

  // PeerSink: any thread.
  void send(std::shared_ptr<const std::string> packet) override;
  void close() override;
  // Served by Hub shard `shard` from now on; the transport carrying the session is woken so
  // that it can follow (a WebSocket moves to that shard's loop).
  void rehome(unsigned shard) override;
  // The Hub shard that serves the session: the loop it opened on, then its room's. Any thread.
  unsigned shard() const { return shard_.load(std::memory_order_acquire); }

  // The active transport takes what is queued.
  std::vector<std::shared_ptr<const std::string>> drain();
  // The same into `out` (emptied first), which the session keeps in exchange: the two vectors
  // trade places, so a steady stream of packets allocates no vector.
  void drainInto(std::vector<std::shared_ptr<const std::string>>& out);
  // Woken (from any thread, outside the lock) when there is something to drain or the state
  // changed. The transport that currently carries the session installs itself; the session
  // does not keep it alive.
  void setWaker(std::weak_ptr<SessionWaker> waker);

  bool beginPoll();  // false if a GET is already pending
  void endPoll();
  void upgradeToWebSocket();

  // Once a second: v4 server pings, ping timeouts. False when the session timed out.
  bool checkTimers(std::int64_t nowMs);
  // The transport is gone: state Closed, the listener hears onClose once.
  void markClosed();

  std::uint64_t connId = 0;  // the Hub's id; written and read on the Hub's thread only

 private:
  void enqueue(std::shared_ptr<const std::string> packet);
  void wake(std::unique_lock<std::mutex>& lock);
  bool receiveMessage(std::string_view text);

  const std::string sid_;
  const EioVersion version_;
  const Limits& limits_;
  SessionListener& listener_;

  mutable std::mutex mutex_;
  Transport transport_;
  State state_ = State::Open;
  std::vector<std::shared_ptr<const std::string>> queue_;  // no allocation while empty
  std::size_t queuedBytes_ = 0;
  std::weak_ptr<SessionWaker> waker_;
  bool pollPending_ = false;

  std::atomic<std::int64_t> lastSeenMs_;
  std::int64_t lastPingMs_ = 0;
  bool pingOutstanding_ = false;
  bool sioConnected_ = false;  // touched on the transport thread only
  std::atomic<bool> closedNotified_{false};
  std::atomic<unsigned> shard_{0};
};

}  // namespace aerie
