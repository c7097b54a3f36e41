#include "admin/UsageRecorder.hpp"

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
  writer_.enqueue(SessionRecord{s.appKey, s.realm, s.roomName, s.sid, s.joinedAtMs, s.leftAtMs});
}

}  // namespace aerie
