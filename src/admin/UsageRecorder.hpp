#pragma once
// Turns every peer session the Hub reports into a usage record (storage/Usage.hpp) for the
// storage worker (UsageWriter). Runs on the Hub shards' threads (a lock per join and leave, not
// per message) and never touches the disk there.
#include <map>
#include <mutex>
#include <string>

#include "hub/HubListener.hpp"
#include "storage/UsageWriter.hpp"

namespace aerie {

class UsageRecorder final : public HubListener {
 public:
  explicit UsageRecorder(UsageWriter& writer) : writer_(writer) {}

  void onPeerJoined(const PeerSession& session) override;
  void onPeerLeft(const PeerSession& session) override;

  // Records the sessions still open, as ending at `nowMs`. For server shutdown, after the
  // Hub's loop has stopped: the Hub reports no leave for peers it never saw go.
  void flush(std::int64_t nowMs);
  std::size_t openSessions() const {
    std::lock_guard lock(mutex_);
    return open_.size();
  }

 private:
  void record(const PeerSession& session);

  UsageWriter& writer_;
  mutable std::mutex mutex_;
  std::map<std::string, PeerSession> open_;  // by sid
};

}  // namespace aerie
