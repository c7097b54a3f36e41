#pragma once
// The ICE-lite side of one transport (RFC 8445 sections 2.5 and 7.3): it never sends checks,
// it answers the remote full agent's Binding requests. A request counts when its FINGERPRINT
// is valid, its USERNAME is "<local ufrag>:<remote ufrag>" and its MESSAGE-INTEGRITY verifies
// with the local password; the answer is a Binding success response with XOR-MAPPED-ADDRESS,
// MESSAGE-INTEGRITY and FINGERPRINT, written into the caller's buffer. USE-CANDIDATE nominates
// the request's source; the latest nomination wins (Firefox nominates aggressively). Consent
// freshness (RFC 7675): the transport closes when no valid request has come from the
// nominated address (before nomination: from anywhere) for Limits::iceConsentTimeoutMs.
// Not thread-safe: one transport lives on one event loop.
#include <chrono>
#include <cstddef>
#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <utility>

#include "codec/StunMessage.hpp"
#include "core/Limits.hpp"
#include "media/IceCredentials.hpp"

namespace aerie {

class IceLiteAgent {
 public:
  using Clock = std::chrono::steady_clock;

  // New: no valid request yet. Checking: valid requests, nothing nominated. Connected: a
  // nominated address. Closed: consent expired or close(); final.
  enum class State : std::uint8_t { New, Checking, Connected, Closed };
  static const char* toString(State state);

  class Listener {
   public:
    virtual ~Listener() = default;
    // Every change of state, in order; Closed comes once and last. Called from inside
    // handleRequest(), tick() or close(): the agent must not be destroyed from here.
    virtual void onIceStateChanged(State state) = 0;
    // A (new) remote address was nominated: media goes there from now on.
    virtual void onIceNominated(const stun::Address& remote) = 0;
  };

  // What became of one request. Only Respond writes a response.
  enum class Verdict : std::uint8_t {
    Respond,
    NotBindingRequest,  // an indication, a response or another method: dropped
    BadFingerprint,     // missing or wrong (RFC 8445 section 7.2.2 requires it)
    BadUsername,        // missing or not ours: another transport's, or stale credentials
    BadIntegrity,       // missing, or does not verify with the local password
    Closed,
    NoRoom,  // the caller's buffer cannot hold the response
  };
  static const char* toString(Verdict verdict);

  struct Counters {
    std::uint64_t requests = 0;  // every message handed in
    std::uint64_t responses = 0;
    std::uint64_t notBindingRequests = 0;
    std::uint64_t badFingerprints = 0;
    std::uint64_t badUsernames = 0;
    std::uint64_t badIntegrity = 0;
  };

  struct Result {
    Verdict verdict = Verdict::NotBindingRequest;
    std::span<const std::uint8_t> response;  // within the caller's buffer; empty unless Respond
  };

  // Largest response: header, XOR-MAPPED-ADDRESS (IPv6), MESSAGE-INTEGRITY, FINGERPRINT.
  static constexpr std::size_t kMaxResponseBytes = 20 + 24 + 24 + 8;

  // `now` starts the consent clock: a transport nobody checks closes like one that stopped.
  IceLiteAgent(IceCredentials local, const Limits& limits, Clock::time_point now,
               Listener* listener = nullptr);

  const IceCredentials& local() const { return local_; }
  // The remote ufrag from the remote description. Until it is set, any remote part of
  // USERNAME is accepted (the local ufrag and password still have to match).
  void setRemoteUfrag(std::string ufrag) { remoteUfrag_ = std::move(ufrag); }

  // `request` was parsed from a datagram (or ICE-TCP frame) that came from `from`.
  Result handleRequest(const stun::Message& request, const stun::Address& from,
                       Clock::time_point now, std::span<std::uint8_t> out);
  // Consent freshness; call it every few seconds.
  void tick(Clock::time_point now);
  void close();

  State state() const { return state_; }
  const std::optional<stun::Address>& nominated() const { return nominated_; }
  Clock::time_point lastConsent() const { return lastConsent_; }
  const Counters& counters() const { return counters_; }

 private:
  Verdict check(const stun::Message& request);
  void setState(State state);

  IceCredentials local_;
  std::string remoteUfrag_;
  Clock::duration consentTimeout_;
  Listener* listener_;
  State state_ = State::New;
  std::optional<stun::Address> nominated_;
  Clock::time_point lastConsent_;
  Counters counters_;
};

}  // namespace aerie
