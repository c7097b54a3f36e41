#include "admin/UsageRecorder.hpp"

#include <exception>

#include "core/Log.hpp"

namespace aerie {

void UsageRecorder::onPeerJoined(const PeerSession& session) {
  open_[session.sid] = session;
}

void UsageRecorder::onPeerLeft(const PeerSession& session) {
  open_.erase(session.sid);
  record(session);
}

void UsageRecorder::flush(std::int64_t nowMs) {
  for (auto& [sid, session] : open_) {
    session.leftAtMs = nowMs;
    record(session);
  }
  open_.clear();
}

void UsageRecorder::record(const PeerSession& s) {
  // A lost record must not cost the peers their signaling: log and go on.
  try {
    store_.recordSession(SessionRecord{s.appKey, s.realm, s.roomName, s.sid, s.joinedAtMs,
                                       s.leftAtMs});
  } catch (const std::exception& e) {
    log::warn("usage", "cannot record a session", {{"error", e.what()}});
  }
}

}  // namespace aerie
