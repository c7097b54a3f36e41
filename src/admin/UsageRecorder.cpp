#include "admin/UsageRecorder.hpp"

namespace aerie {

void UsageRecorder::onPeerJoined(const PeerSession& session) {
  std::lock_guard lock(mutex_);
  open_[session.sid] = session;
}

void UsageRecorder::onPeerLeft(const PeerSession& session) {
  {
    std::lock_guard lock(mutex_);
    open_.erase(session.sid);
  }
  record(session);
}

void UsageRecorder::flush(std::int64_t nowMs) {
  std::lock_guard lock(mutex_);
  for (auto& [sid, session] : open_) {
    session.leftAtMs = nowMs;
    record(session);
  }
  open_.clear();
}

void UsageRecorder::record(const PeerSession& s) {
  writer_.enqueue(SessionRecord{s.appKey, s.realm, s.roomName, s.sid, s.joinedAtMs, s.leftAtMs});
}

}  // namespace aerie
