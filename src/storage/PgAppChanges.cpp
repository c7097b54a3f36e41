#include "storage/PgAppChanges.hpp"

#include <poll.h>
#include <sys/eventfd.h>
#include <unistd.h>

#include <cstdint>
#include <stdexcept>

#include "core/Log.hpp"
#include "storage/PgConnection.hpp"
#include "storage/PgError.hpp"
#include "storage/PostgresAppStore.hpp"

namespace aerie {

PgAppChanges::PgAppChanges(std::string url, Options options, Listener& listener)
    : url_(std::move(url)), options_(options), listener_(listener) {
  wakeFd_ = ::eventfd(0, EFD_CLOEXEC | EFD_NONBLOCK);
  if (wakeFd_ < 0) throw std::runtime_error("eventfd failed");
}

PgAppChanges::~PgAppChanges() {
  stop();
  ::close(wakeFd_);
}

bool PgAppChanges::parse(std::string_view payload, std::string& appKey, bool& revoked) {
  const auto space = payload.find(' ');
  if (space == std::string_view::npos || space + 1 == payload.size()) return false;
  const std::string_view what = payload.substr(0, space);
  if (what != "revoked" && what != "changed") return false;
  revoked = what == "revoked";
  appKey = std::string(payload.substr(space + 1));
  return true;
}

std::unique_ptr<PgConnection> PgAppChanges::connect() {
  auto conn = std::make_unique<PgConnection>(url_, options_.connectTimeoutMs, "aerie-changes");
  // The channel is a constant identifier (LISTEN takes no parameters).
  conn->exec("LISTEN " + std::string(PostgresAppStore::kChangeChannel), "cannot listen for key changes");
  ++connects_;
  return conn;
}

void PgAppChanges::start() {
  auto conn = connect();  // throws: a node must not start deaf to revocations
  listener_.onAllChanged();
  thread_ = std::thread([this, c = std::move(conn)]() mutable { run(std::move(c)); });
}

void PgAppChanges::stop() {
  if (stopping_.exchange(true)) return;
  const std::uint64_t one = 1;
  [[maybe_unused]] const auto n = ::write(wakeFd_, &one, sizeof one);
  if (thread_.joinable()) thread_.join();
}

bool PgAppChanges::pause(std::uint32_t ms) {
  pollfd p{wakeFd_, POLLIN, 0};
  ::poll(&p, 1, static_cast<int>(ms));
  return !stopping_.load();
}

void PgAppChanges::run(std::unique_ptr<PgConnection> conn) {
  while (!stopping_.load()) {
    if (!conn) {
      try {
        conn = connect();
      } catch (const PgError& e) {
        log::warn("store", "cannot listen for key changes; retrying", {{"error", e.what()}});
        if (!pause(options_.reconnectMs)) return;
        continue;
      }
      log::info("store", "listening for key changes again; forgetting every cached key");
      listener_.onAllChanged();
    }
    pollfd fds[2] = {{conn->socket(), POLLIN, 0}, {wakeFd_, POLLIN, 0}};
    const int ready = ::poll(fds, 2, static_cast<int>(options_.checkMs));
    if (stopping_.load()) return;
    bool alive = true;
    if (ready == 0) {
      // Quiet for checkMs: make sure the connection still answers.
      try {
        conn->exec("SELECT 1", "cannot check the listening connection");
      } catch (const PgError&) {
        alive = false;
      }
    } else if (ready > 0 && (fds[0].revents & (POLLIN | POLLERR | POLLHUP)) != 0) {
      alive = conn->consumeInput();
    }
    // Deliver what arrived before any drop: those changes are committed.
    while (auto payload = conn->nextNotification(PostgresAppStore::kChangeChannel)) {
      std::string appKey;
      bool revoked = false;
      if (parse(*payload, appKey, revoked)) listener_.onAppChanged(appKey, revoked);
    }
    if (!alive) {
      log::warn("store", "the connection listening for key changes dropped; reconnecting");
      conn.reset();
    }
  }
}

}  // namespace aerie
