#pragma once
// Writes a usage record (storage/Usage.hpp) for every peer session the Hub reports. Runs on the
// Hub's thread: one SQLite insert per leave, off the relay path (joins and leaves only).
#include <map>
#include <string>

#include "hub/HubListener.hpp"
#include "storage/AppStore.hpp"

namespace aerie {

class UsageRecorder final : public HubListener {
 public:
  explicit UsageRecorder(AppStore& store) : store_(store) {}

  void onPeerJoined(const PeerSession& session) override;
  void onPeerLeft(const PeerSession& session) override;

  // Records the sessions still open, as ending at `nowMs`. For server shutdown, after the
  // Hub's loop has stopped: the Hub reports no leave for peers it never saw go.
  void flush(std::int64_t nowMs);
  std::size_t openSessions() const { return open_.size(); }

 private:
  void record(const PeerSession& session);

  AppStore& store_;
  std::map<std::string, PeerSession> open_;  // by sid
};

}  // namespace aerie
