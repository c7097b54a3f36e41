#pragma once
// Other nodes' changes to app keys, as PostgresAppStore announces them (NOTIFY on
// PostgresAppStore::kChangeChannel), on a connection and a thread of their own: the thread
// waits on the connection's socket and calls the listener for each notification, in commit
// order. The listener's calls come on that thread; it posts whatever must run elsewhere.
//
// The node's own writes come back too (LISTEN hears every session, its own included), so a
// write through any node's admin API or CLI reaches every node the same way.
//
// While the connection is down, notifications are lost: after every (re)connect the listener
// hears onAllChanged() (forget everything cached), then the changes from then on. A dropped
// connection is retried every `reconnectMs`; an idle one is checked every `checkMs`.
#include <atomic>
#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <thread>

namespace aerie {

class PgConnection;

class PgAppChanges {
 public:
  class Listener {
   public:
    virtual ~Listener() = default;
    // `appKey` changed (revoked: it was revoked). Called on the listening thread.
    virtual void onAppChanged(const std::string& appKey, bool revoked) = 0;
    // Changes may have been missed (first connect, reconnect): anything may have changed.
    virtual void onAllChanged() = 0;
  };

  struct Options {
    std::uint32_t connectTimeoutMs = 5000;
    std::uint32_t reconnectMs = 1000;
    std::uint32_t checkMs = 5000;
  };

  PgAppChanges(std::string url, Options options, Listener& listener);
  ~PgAppChanges();  // stop()
  PgAppChanges(const PgAppChanges&) = delete;
  PgAppChanges& operator=(const PgAppChanges&) = delete;

  // Starts the thread; returns once the first LISTEN is in place, or throws PgError if the
  // first connection fails (a node must not start deaf).
  void start();
  // Ends the thread. Idempotent.
  void stop();

  // Connections made so far (1 after start; more after drops).
  std::uint64_t connects() const { return connects_.load(); }

  // "revoked KEY" / "changed KEY" → the key and whether it was revoked; false if malformed.
  static bool parse(std::string_view payload, std::string& appKey, bool& revoked);

 private:
  std::unique_ptr<PgConnection> connect();
  void run(std::unique_ptr<PgConnection> conn);
  // Sleeps up to `ms`; false if stop() came meanwhile.
  bool pause(std::uint32_t ms);

  const std::string url_;
  const Options options_;
  Listener& listener_;
  int wakeFd_ = -1;  // eventfd: stop() wakes the thread's poll
  std::atomic<bool> stopping_{false};
  std::atomic<std::uint64_t> connects_{0};
  std::thread thread_;
};

}  // namespace aerie
