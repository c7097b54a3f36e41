#pragma once
// What the server peer (McuPeer) asks of the media plane: a transport per client (ICE-lite,
// DTLS, SRTP on the shared media port), the client's side of it once its offer is in, and what
// each client publishes. Called on the room's loop.
#include <string>
#include <string_view>
#include <vector>

#include "codec/SdpDescription.hpp"
#include "sfu/SdpAnswer.hpp"

namespace aerie {

// The transport of SkylinkJS 0.6.x's downlink from `publisher` to `subscriber` (the client's
// connection to the server answered as that publisher) goes by this id where a client's own
// goes by its sid. Sids never hold '>'.
inline std::string downlinkId(std::string_view subscriber, std::string_view publisher) {
  std::string id(subscriber);
  id += '>';
  id += publisher;
  return id;
}
inline bool isDownlink(std::string_view id) { return id.find('>') != std::string_view::npos; }

// What the media plane tells the server peer.
class MediaEvents {
 public:
  virtual ~MediaEvents() = default;
  // The loudest publisher of the room changed (RFC 6464 audio levels over the last half
  // second); an empty sid: nobody speaks.
  virtual void onActiveSpeaker(std::string_view roomKey, std::string_view sid) = 0;
  // Client `sid`'s transport closed by itself: ICE consent lost (no check for
  // Limits::iceConsentTimeoutMs), DTLS failed or closed by the client. Not for close(). The
  // transport is gone; the next transportFor() opens a new one.
  virtual void onTransportLost(std::string_view roomKey, std::string_view sid) = 0;
  // The room's recording stopped by itself (its files are closed): a limit was reached
  // (max-recording-seconds, max-recording-bytes) or a file could not be written. `reason` says
  // which.
  virtual void onRecordingStopped(std::string_view roomKey, std::string_view reason) = 0;
};

class MediaPlane {
 public:
  virtual ~MediaPlane() = default;
  virtual void setEvents(MediaEvents* events) = 0;
  // The server's end of client `sid`'s transport in `roomKey`, opened on the first call.
  virtual LocalTransport transportFor(std::string_view roomKey, std::string_view sid) = 0;
  // An ICE restart the client asked for (its offer has a new ufrag): new local credentials for
  // its transport, which keeps its DTLS and SRTP.
  virtual LocalTransport restartIce(std::string_view roomKey, std::string_view sid,
                                    std::string_view remoteUfrag) = 0;
  // The client's offer was answered: its ICE credentials, its DTLS fingerprint and the media it
  // sends (by SSRC) are known.
  virtual void remoteDescription(std::string_view roomKey, std::string_view sid,
                                 const SdpDescription& offer,
                                 const std::vector<AcceptedMedia>& accepted) = 0;
  virtual void close(std::string_view roomKey, std::string_view sid) = 0;
  // From now on the RTP of `ssrc` (another member's) goes to `toSid` too, whose session has a
  // section for it; a keyframe is asked of the publisher for a video track.
  virtual void forward(std::string_view roomKey, std::string_view toSid, std::uint32_t ssrc) = 0;
  // From now on every publisher of the room, and each that publishes later, is written to a
  // WebM file of its own in `directory` (record/PublisherRecording), from its next key frame.
  virtual void startRecording(std::string_view roomKey, const std::string& directory) = 0;
  // Closes the room's files. Nothing if the room is not recording.
  virtual void stopRecording(std::string_view roomKey) = 0;
};

}  // namespace aerie
