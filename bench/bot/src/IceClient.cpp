#include "IceClient.hpp"

#include <algorithm>

#include "codec/StunWriter.hpp"
#include "core/Crypto.hpp"

namespace aerie::bot {

namespace {
// RFC 8445 section 5.1.2.1: type preference 126 (host), local preference 65535, component 1.
constexpr std::uint32_t kHostPriority = (126u << 24) | (65535u << 8) | (256u - 1u);
}  // namespace

const char* IceClient::toString(State state) {
  switch (state) {
    case State::New:
      return "new";
    case State::Checking:
      return "checking";
    case State::Connected:
      return "connected";
    case State::Failed:
      return "failed";
  }
  return "?";
}

IceClient::IceClient(IceCredentials local, std::string remoteUfrag, std::string remotePassword)
    : local_(std::move(local)),
      remoteUfrag_(std::move(remoteUfrag)),
      remotePassword_(std::move(remotePassword)),
      tieBreaker_(crypto::randomBytes(8)) {}

bool IceClient::due(Clock::time_point now) const {
  switch (state_) {
    case State::New:
      return true;
    case State::Checking:
      return now - lastSent_ >= kCheckInterval;
    case State::Connected:
      return now - lastSent_ >= kConsentInterval;
    case State::Failed:
      return false;
  }
  return false;
}

std::span<const std::uint8_t> IceClient::request(std::span<std::uint8_t> out, Clock::time_point now) {
  if (state_ == State::Failed) return {};
  const std::string id = crypto::randomBytes(transaction_.size());
  std::copy(id.begin(), id.end(), transaction_.begin());
  stun::StunWriter w(out, static_cast<std::uint16_t>(stun::Method::Binding), stun::Class::Request, transaction_);
  w.add(stun::Username, remoteUfrag_ + ":" + local_.ufrag);
  w.addUint32(stun::Priority, kHostPriority);
  w.add(stun::IceControlling, tieBreaker_);
  w.add(stun::UseCandidate, {});
  w.addMessageIntegrity(remotePassword_);
  w.addFingerprint();
  if (!w.ok()) return {};
  if (state_ == State::New) {
    started_ = now;
    setState(State::Checking);
  }
  lastSent_ = now;
  return w.bytes();
}

bool IceClient::handle(const stun::Message& message, Clock::time_point) {
  if (message.method != static_cast<std::uint16_t>(stun::Method::Binding)) return false;
  if (message.cls != stun::Class::Success || message.transactionId != transaction_) return false;
  if (!message.fingerprintValid || !message.integrityValid(remotePassword_)) return false;
  if (state_ == State::Checking) setState(State::Connected);
  return state_ == State::Connected;
}

void IceClient::tick(Clock::time_point now) {
  if (state_ == State::Checking && now - started_ > kGiveUpAfter) setState(State::Failed);
}

}  // namespace aerie::bot
