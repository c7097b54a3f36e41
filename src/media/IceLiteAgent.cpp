#include "media/IceLiteAgent.hpp"

#include <algorithm>

#include "codec/StunWriter.hpp"

namespace aerie {
namespace {

bool sameAddress(const stun::Address& a, const stun::Address& b) {
  const std::size_t n = a.ipv6 ? 16 : 4;
  return a.ipv6 == b.ipv6 && a.port == b.port &&
         std::equal(a.bytes.begin(), a.bytes.begin() + n, b.bytes.begin());
}

}  // namespace

const char* IceLiteAgent::toString(State state) {
  switch (state) {
    case State::New:
      return "new";
    case State::Checking:
      return "checking";
    case State::Connected:
      return "connected";
    case State::Closed:
      return "closed";
  }
  return "?";
}

const char* IceLiteAgent::toString(Verdict verdict) {
  switch (verdict) {
    case Verdict::Respond:
      return "respond";
    case Verdict::NotBindingRequest:
      return "not a binding request";
    case Verdict::BadFingerprint:
      return "bad fingerprint";
    case Verdict::BadUsername:
      return "bad username";
    case Verdict::BadIntegrity:
      return "bad message integrity";
    case Verdict::Closed:
      return "closed";
    case Verdict::NoRoom:
      return "no room for the response";
  }
  return "?";
}

IceLiteAgent::IceLiteAgent(IceCredentials local, const Limits& limits, Clock::time_point now,
                           Listener* listener)
    : local_(std::move(local)),
      consentTimeout_(std::chrono::milliseconds(limits.iceConsentTimeoutMs)),
      listener_(listener),
      lastConsent_(now) {}

IceLiteAgent::Verdict IceLiteAgent::check(const stun::Message& m) {
  if (m.cls != stun::Class::Request ||
      m.method != static_cast<std::uint16_t>(stun::Method::Binding)) {
    return Verdict::NotBindingRequest;
  }
  if (!m.find(stun::Fingerprint) || !m.fingerprintValid) return Verdict::BadFingerprint;
  // RFC 8445 section 7.3: USERNAME is "<our ufrag>:<their ufrag>".
  const stun::Attribute* user = m.find(stun::Username);
  if (!user) return Verdict::BadUsername;
  const std::string_view name = user->value;
  const std::size_t colon = name.find(':');
  if (colon == std::string_view::npos || name.substr(0, colon) != local_.ufrag) {
    return Verdict::BadUsername;
  }
  if (!remoteUfrag_.empty() && name.substr(colon + 1) != remoteUfrag_) return Verdict::BadUsername;
  if (!m.integrityValid(local_.password)) return Verdict::BadIntegrity;
  return Verdict::Respond;
}

IceLiteAgent::Result IceLiteAgent::handleRequest(const stun::Message& request,
                                                 const stun::Address& from, Clock::time_point now,
                                                 std::span<std::uint8_t> out) {
  ++counters_.requests;
  if (state_ == State::Closed) return {Verdict::Closed, {}};
  const Verdict verdict = check(request);
  switch (verdict) {
    case Verdict::Respond:
      break;
    case Verdict::NotBindingRequest:
      ++counters_.notBindingRequests;
      return {verdict, {}};
    case Verdict::BadFingerprint:
      ++counters_.badFingerprints;
      return {verdict, {}};
    case Verdict::BadUsername:
      ++counters_.badUsernames;
      return {verdict, {}};
    case Verdict::BadIntegrity:
      ++counters_.badIntegrity;
      return {verdict, {}};
    case Verdict::Closed:
    case Verdict::NoRoom:
      return {verdict, {}};
  }

  stun::StunWriter writer(out, static_cast<std::uint16_t>(stun::Method::Binding),
                          stun::Class::Success, request.transactionId);
  writer.addXorMappedAddress(from);
  writer.addMessageIntegrity(local_.password);
  writer.addFingerprint();
  if (!writer.ok()) return {Verdict::NoRoom, {}};
  ++counters_.responses;

  // Consent (RFC 7675 section 5.1) is per pair: once a pair is nominated, only checks on it
  // keep the transport alive; checks on other pairs are answered but do not count.
  const bool nominating = request.find(stun::UseCandidate) != nullptr;
  if (nominating || !nominated_ || sameAddress(*nominated_, from)) lastConsent_ = now;
  if (state_ == State::New) setState(State::Checking);
  if (nominating && (!nominated_ || !sameAddress(*nominated_, from))) {
    nominated_ = from;
    if (state_ != State::Connected) setState(State::Connected);
    if (listener_) listener_->onIceNominated(from);
  }
  return {Verdict::Respond, writer.bytes()};
}

void IceLiteAgent::tick(Clock::time_point now) {
  if (state_ != State::Closed && now - lastConsent_ >= consentTimeout_) setState(State::Closed);
}

void IceLiteAgent::close() {
  if (state_ != State::Closed) setState(State::Closed);
}

void IceLiteAgent::setState(State state) {
  state_ = state;
  if (listener_) listener_->onIceStateChanged(state);
}

}  // namespace aerie
