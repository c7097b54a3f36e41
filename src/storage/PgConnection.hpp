#pragma once
// One libpq connection (PGconn), closed by the destructor. Not thread-safe: its owner
// serialises its use. Statements take their values as parameters only (PgParams). Errors
// throw PgError; messages name the server by its URL without the password (redact()).
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "storage/PgParams.hpp"
#include "storage/PgResult.hpp"

struct pg_conn;

namespace aerie {

class PgConnection {
 public:
  // Connects; throws PgError naming the URL (redacted) and libpq's reason. `applicationName`
  // is what pg_stat_activity shows (unless the URL sets its own).
  PgConnection(const std::string& url, std::uint32_t connectTimeoutMs,
               const char* applicationName = "aerie");
  ~PgConnection();
  PgConnection(const PgConnection&) = delete;
  PgConnection& operator=(const PgConnection&) = delete;

  // Runs one statement (or, without params, several separated by `;`). `what` starts the
  // error message. Throws PgError; connectionLost() if the connection broke.
  PgResult exec(std::string_view sql, const PgParams& params, std::string_view what);
  PgResult exec(std::string_view sql, std::string_view what);

  // Before a new operation: notices a connection the server has closed while it was idle (the
  // close is readable without blocking) and connects again. Throws PgError if that fails.
  void refresh();
  // Connects again now (PQreset). Throws PgError if that fails.
  void reconnect();

  // For a listening connection: the socket to wait on, reading what arrived (false if the
  // connection broke), and the next notification's payload on `channel`.
  int socket() const;
  bool consumeInput();
  std::optional<std::string> nextNotification(std::string_view channel);

  const std::string& displayUrl() const { return displayUrl_; }
  // `url` with any password left out (URL user info, `password=` parameters and keywords).
  static std::string redact(std::string_view url);

 private:
  [[noreturn]] void fail(std::string_view what);

  pg_conn* conn_ = nullptr;
  std::string displayUrl_;
};

}  // namespace aerie
