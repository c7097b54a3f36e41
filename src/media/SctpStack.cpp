#include "media/SctpStack.hpp"

#include <usrsctp.h>

#include <span>

#include "media/SctpAssociation.hpp"

namespace aerie {

SctpStack& SctpStack::instance() {
  static SctpStack stack;
  return stack;
}

SctpStack::SctpStack() : lastTimers_(Clock::now()) {
  // No UDP encapsulation port: packets go through onOutput into DTLS.
  usrsctp_init_nothreads(0, &SctpStack::onOutput, nullptr);
  // No explicit congestion notification: the DTLS layer below cannot carry the ECN bits.
  usrsctp_sysctl_set_sctp_ecn_enable(0);
}

int SctpStack::onOutput(void* address, void* buffer, std::size_t length, std::uint8_t, std::uint8_t) {
  // Called from inside a usrsctp call, so with the mutex held.
  SctpAssociation* association = instance().find(reinterpret_cast<std::uintptr_t>(address));
  if (association != nullptr) {
    association->queueOutgoing(std::span(static_cast<const std::uint8_t*>(buffer), length));
  }
  return 0;
}

void SctpStack::handleTimers(Clock::time_point now) {
  std::unique_lock lock(mutex_, std::try_to_lock);
  if (!lock.owns_lock()) return;  // another loop is in the stack; the next tick catches up
  const auto elapsed = std::chrono::duration_cast<std::chrono::milliseconds>(now - lastTimers_);
  if (elapsed.count() < 10) return;
  lastTimers_ += elapsed;
  usrsctp_handle_timers(static_cast<std::uint32_t>(elapsed.count()));
}

std::uintptr_t SctpStack::add(SctpAssociation& association) {
  const std::uintptr_t id = nextId_++;
  associations_.emplace(id, &association);
  return id;
}

void SctpStack::remove(std::uintptr_t id) { associations_.erase(id); }

SctpAssociation* SctpStack::find(std::uintptr_t id) const {
  auto it = associations_.find(id);
  return it == associations_.end() ? nullptr : it->second;
}

}  // namespace aerie
