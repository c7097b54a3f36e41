#include "storage/PgConnection.hpp"

#include <libpq-fe.h>
#include <poll.h>

#include <algorithm>
#include <vector>

#include "storage/PgError.hpp"

namespace aerie {
namespace {

bool startsWith(std::string_view s, std::string_view prefix) {
  return s.substr(0, prefix.size()) == prefix;
}

// postgresql://user:password@host/db?password=...: the user info's password and any
// `password` query parameter left out.
std::string redactUri(std::string_view url, std::size_t schemeEnd) {
  std::string out(url.substr(0, schemeEnd));
  std::string_view rest = url.substr(schemeEnd);
  const std::size_t authorityEnd = std::min(rest.find_first_of("/?"), rest.size());
  std::string_view authority = rest.substr(0, authorityEnd);
  rest.remove_prefix(authorityEnd);
  if (const auto at = authority.rfind('@'); at != std::string_view::npos) {
    std::string_view user = authority.substr(0, at);
    out += user.substr(0, user.find(':'));
    out += authority.substr(at);
  } else {
    out += authority;
  }
  const std::size_t q = rest.find('?');
  out += rest.substr(0, q);
  if (q == std::string_view::npos) return out;
  std::string_view query = rest.substr(q + 1);
  char sep = '?';
  while (!query.empty()) {
    const std::size_t amp = std::min(query.find('&'), query.size());
    const std::string_view param = query.substr(0, amp);
    query.remove_prefix(std::min(amp + 1, query.size()));
    if (startsWith(param, "password=") || param == "password") continue;
    out += sep;
    out += param;
    sep = '&';
  }
  return out;
}

// host=... password='...' dbname=...: the password keyword and its value left out.
std::string redactKeywords(std::string_view text) {
  std::string out;
  std::size_t i = 0;
  auto skipSpace = [&] {
    while (i < text.size() && (text[i] == ' ' || text[i] == '\t' || text[i] == '\n')) ++i;
  };
  while (true) {
    skipSpace();
    if (i >= text.size()) break;
    const std::size_t keyStart = i;
    while (i < text.size() && text[i] != '=' && text[i] != ' ') ++i;
    const std::string_view key = text.substr(keyStart, i - keyStart);
    skipSpace();
    if (i < text.size() && text[i] == '=') ++i;
    skipSpace();
    const std::size_t valueStart = i;
    if (i < text.size() && text[i] == '\'') {
      for (++i; i < text.size() && text[i] != '\''; ++i) {
        if (text[i] == '\\') ++i;
      }
      if (i < text.size()) ++i;
    } else {
      while (i < text.size() && text[i] != ' ' && text[i] != '\t' && text[i] != '\n') ++i;
    }
    if (key == "password") continue;
    if (!out.empty()) out += ' ';
    out += key;
    out += '=';
    out += text.substr(valueStart, std::min(i, text.size()) - valueStart);
  }
  return out;
}

std::string trimmed(const char* message) {
  std::string s = message ? message : "";
  while (!s.empty() && (s.back() == '\n' || s.back() == ' ')) s.pop_back();
  return s;
}

}  // namespace

std::string PgConnection::redact(std::string_view url) {
  for (std::string_view scheme : {"postgresql://", "postgres://"}) {
    if (startsWith(url, scheme)) return redactUri(url, scheme.size());
  }
  return redactKeywords(url);
}

PgConnection::PgConnection(const std::string& url, std::uint32_t connectTimeoutMs,
                           const char* applicationName)
    : displayUrl_(redact(url)) {
  // The URL comes last, so whatever it says itself wins over these defaults.
  const std::string timeout = std::to_string(std::max<std::uint32_t>(2, (connectTimeoutMs + 999) / 1000));
  const char* keys[] = {"connect_timeout", "application_name", "dbname", nullptr};
  const char* values[] = {timeout.c_str(), applicationName, url.c_str(), nullptr};
  conn_ = PQconnectdbParams(keys, values, 1);
  if (conn_ == nullptr) throw PgError("cannot connect to PostgreSQL at " + displayUrl_ + ": out of memory", true);
  if (PQstatus(conn_) != CONNECTION_OK) {
    const std::string reason = trimmed(PQerrorMessage(conn_));
    PQfinish(conn_);
    conn_ = nullptr;
    throw PgError("cannot connect to PostgreSQL at " + displayUrl_ + ": " + reason, true);
  }
  // Notices (e.g. "relation already exists, skipping") are not errors; keep them off stderr.
  PQsetNoticeProcessor(conn_, [](void*, const char*) {}, nullptr);
}

PgConnection::~PgConnection() {
  PQfinish(conn_);
}

PgResult PgConnection::exec(std::string_view sql, const PgParams& params, std::string_view what) {
  std::vector<const char*> values;
  values.reserve(params.values().size());
  for (const auto& v : params.values()) values.push_back(v ? v->c_str() : nullptr);
  const std::string text(sql);
  PgResult result(PQexecParams(conn_, text.c_str(), static_cast<int>(values.size()), nullptr,
                               values.data(), nullptr, nullptr, 0));
  if (!result.ok()) fail(what);
  return result;
}

PgResult PgConnection::exec(std::string_view sql, std::string_view what) {
  const std::string text(sql);
  PgResult result(PQexec(conn_, text.c_str()));
  if (!result.ok()) fail(what);
  return result;
}

void PgConnection::fail(std::string_view what) {
  const bool lost = PQstatus(conn_) != CONNECTION_OK;
  throw PgError(std::string(what) + " (PostgreSQL at " + displayUrl_ + "): " + trimmed(PQerrorMessage(conn_)), lost);
}

void PgConnection::refresh() {
  if (PQstatus(conn_) == CONNECTION_OK && PQtransactionStatus(conn_) == PQTRANS_IDLE) {
    pollfd p{PQsocket(conn_), POLLIN, 0};
    // Readable while idle: the server closed the connection (or sent a notice); libpq
    // reads it and marks the connection bad if it is gone.
    if (p.fd >= 0 && ::poll(&p, 1, 0) > 0) PQconsumeInput(conn_);
  }
  if (PQstatus(conn_) != CONNECTION_OK) reconnect();
}

void PgConnection::reconnect() {
  PQreset(conn_);
  if (PQstatus(conn_) != CONNECTION_OK) {
    throw PgError("cannot connect to PostgreSQL at " + displayUrl_ + ": " + trimmed(PQerrorMessage(conn_)), true);
  }
}

int PgConnection::socket() const {
  return PQsocket(conn_);
}

bool PgConnection::consumeInput() {
  return PQconsumeInput(conn_) == 1 && PQstatus(conn_) == CONNECTION_OK;
}

std::optional<std::string> PgConnection::nextNotification(std::string_view channel) {
  while (PGnotify* n = PQnotifies(conn_)) {
    std::optional<std::string> payload;
    if (channel == n->relname) payload = n->extra ? n->extra : "";
    PQfreemem(n);
    if (payload) return payload;
  }
  return std::nullopt;
}

}  // namespace aerie
