#pragma once
// The full, controlling ICE agent of one bot client against aerie's ICE-lite server (RFC 8445
// sections 6.1.4 and 7.2.4): it has a single pair to check, the host candidate in the server's
// answer, so it nominates at once (USE-CANDIDATE on every request). Requests carry USERNAME
// "<remote ufrag>:<local ufrag>", PRIORITY, ICE-CONTROLLING with our tie-breaker,
// MESSAGE-INTEGRITY keyed with the server's password, and FINGERPRINT. A success response
// counts when its transaction is ours and its MESSAGE-INTEGRITY verifies with that password.
// After that, a request every kConsentInterval keeps the server's consent fresh (RFC 7675;
// aerie closes a transport after 30 s without one). Pure: the caller sends the bytes and
// passes the time in.
#include <array>
#include <chrono>
#include <cstdint>
#include <span>
#include <string>

#include "codec/StunMessage.hpp"
#include "media/IceCredentials.hpp"

namespace aerie::bot {

class IceClient {
 public:
  using Clock = std::chrono::steady_clock;

  // New: nothing sent. Checking: requests out, no valid response. Connected: a response came
  // back. Failed: kGiveUpAfter passed without one; final.
  enum class State : std::uint8_t { New, Checking, Connected, Failed };
  static const char* toString(State state);

  static constexpr auto kCheckInterval = std::chrono::milliseconds(50);
  static constexpr auto kConsentInterval = std::chrono::milliseconds(2500);
  static constexpr auto kGiveUpAfter = std::chrono::seconds(10);
  // Header, USERNAME (up to 2x32 + 1 padded), PRIORITY, ICE-CONTROLLING, USE-CANDIDATE,
  // MESSAGE-INTEGRITY, FINGERPRINT.
  static constexpr std::size_t kMaxRequestBytes = 20 + 4 + 68 + 8 + 12 + 4 + 24 + 8;

  IceClient(IceCredentials local, std::string remoteUfrag, std::string remotePassword);

  // Whether a request is due now (the first, a retry while checking, or a consent refresh).
  bool due(Clock::time_point now) const;
  // Writes the next request into `out` and remembers its transaction. Empty if `out` is small.
  std::span<const std::uint8_t> request(std::span<std::uint8_t> out, Clock::time_point now);
  // A STUN message that came from the server; true if it is a valid response to one of ours.
  bool handle(const stun::Message& message, Clock::time_point now);
  // Moves Checking to Failed once it has taken too long.
  void tick(Clock::time_point now);

  State state() const { return state_; }
  const IceCredentials& local() const { return local_; }

 private:
  void setState(State state) { state_ = state; }

  IceCredentials local_;
  std::string remoteUfrag_;
  std::string remotePassword_;
  std::string tieBreaker_;  // 8 random bytes
  State state_ = State::New;
  Clock::time_point started_{};
  Clock::time_point lastSent_{};
  std::array<std::uint8_t, 12> transaction_{};
};

}  // namespace aerie::bot
