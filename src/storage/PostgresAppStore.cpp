#include "storage/PostgresAppStore.hpp"

#include <algorithm>
#include <stdexcept>

#include "storage/AppRow.hpp"
#include "storage/PgConnection.hpp"
#include "storage/PgError.hpp"
#include "storage/PgTransaction.hpp"
#include "storage/Schema.hpp"

namespace aerie {
namespace {

// The advisory lock every migrating node takes first ("aerie" in ASCII): nodes starting at
// once on an empty database queue up, and each finds the schema the one before it left.
constexpr std::int64_t kMigrationLock = 0x6165726965;

// Session rows per INSERT: 6 parameters each, well under PostgreSQL's 65,535 per statement.
constexpr std::size_t kSessionsPerInsert = 1000;

std::vector<App> readApps(const PgResult& r) {
  std::vector<App> out;
  out.reserve(static_cast<std::size_t>(r.rows()));
  for (int i = 0; i < r.rows(); ++i) out.push_back(app_row::read(r.row(i)));
  return out;
}

std::string selectApps(std::string_view where) {
  return "SELECT " + std::string(app_row::kColumns) + " FROM apps " + std::string(where);
}

}  // namespace

PostgresAppStore::PostgresAppStore(const std::string& url, std::uint32_t connectTimeoutMs)
    : conn_(std::make_unique<PgConnection>(url, connectTimeoutMs)) {
  migrate();
}

PostgresAppStore::~PostgresAppStore() = default;

bool PostgresAppStore::accepts(std::string_view url) {
  return url.starts_with("postgresql://") || url.starts_with("postgres://");
}

const std::string& PostgresAppStore::displayUrl() const {
  return conn_->displayUrl();
}

int PostgresAppStore::latestSchemaVersion() {
  return static_cast<int>(schema::migrations().size());
}

template <class F>
auto PostgresAppStore::run(Retry retry, F&& f) {
  std::lock_guard lock(mutex_);
  conn_->refresh();
  try {
    return f();
  } catch (const PgError& e) {
    if (!e.connectionLost() || (retry == Retry::Never && !e.nothingDone())) throw;
  }
  conn_->reconnect();
  return f();
}

void PostgresAppStore::migrate() {
  std::lock_guard lock(mutex_);
  PgTransaction tx(*conn_);
  // Held to the end of the transaction: concurrent migrators wait here, not in CREATE TABLE.
  conn_->exec("SELECT pg_advisory_xact_lock($1)", PgParams().add(kMigrationLock),
              "cannot lock the schema");
  conn_->exec("CREATE TABLE IF NOT EXISTS schema_version (version INTEGER NOT NULL)",
              "cannot create schema_version");
  std::int64_t version = 0;
  const PgResult current = conn_->exec("SELECT version FROM schema_version LIMIT 1",
                                       "cannot read the schema version");
  if (current.rows() > 0) {
    version = current.row(0).integer(0);
  } else {
    conn_->exec("INSERT INTO schema_version (version) VALUES (0)", "cannot set schema version");
  }
  if (version < 0 || version > latestSchemaVersion()) {
    throw std::runtime_error("PostgreSQL at " + conn_->displayUrl() + ": schema version " +
                             std::to_string(version) + " is newer than this Aerie supports (" +
                             std::to_string(latestSchemaVersion()) + ")");
  }
  for (auto v = static_cast<std::size_t>(version); v < schema::migrations().size(); ++v) {
    conn_->exec(schema::forPostgres(schema::migrations()[v]), "migration " + std::to_string(v + 1) + " failed");
  }
  conn_->exec("UPDATE schema_version SET version = $1",
              PgParams().add(std::int64_t{latestSchemaVersion()}), "cannot set schema version");
  tx.commit();
}

int PostgresAppStore::schemaVersion() {
  return run(Retry::Once, [&] {
    const PgResult r = conn_->exec("SELECT version FROM schema_version LIMIT 1",
                                   "cannot read the schema version");
    return r.rows() > 0 ? static_cast<int>(r.row(0).integer(0)) : 0;
  });
}

void PostgresAppStore::notify(std::string_view what, const std::string& appKey) {
  conn_->exec("SELECT pg_notify($1, $2)",
              PgParams().add(kChangeChannel).add(std::string(what) + " " + appKey),
              "cannot notify a change");
}

App PostgresAppStore::create(const NewApp& n, std::int64_t nowMs) {
  return run(Retry::Never, [&] {
    PgTransaction tx(*conn_);
    if (n.parentKey) app_row::checkParent(*n.parentKey, findByKeyLocked(*n.parentKey));
    App a = app_row::fromNew(n, nowMs);
    PgParams p;
    p.add(a.appKey).add(a.name).add(a.owner).add(a.secret).add(app_row::domainsToJson(a.domains));
    p.add(a.parentKey).add(a.createdAtMs).add(a.expiresAtMs);
    p.add(std::int64_t{a.maxPeersPerRoom}).add(std::int64_t{a.turnEnabled ? 1 : 0});
    p.add(std::int64_t{a.persistentRooms ? 1 : 0}).add(toString(a.mediaMode));
    p.add(std::int64_t{a.autoSfuPeers});
    const PgResult r = conn_->exec(
        "INSERT INTO apps (app_key, name, owner, secret, domains, parent_key, revoked, "
        "created_at_ms, expires_at_ms, max_peers_per_room, turn_enabled, persistent_rooms, "
        "media_mode, auto_sfu_peers) "
        "VALUES ($1, $2, $3, $4, $5, $6, 0, $7, $8, $9, $10, $11, $12, $13) RETURNING id",
        p, "cannot create an app");
    a.id = r.row(0).integer(0);
    notify("changed", a.appKey);
    tx.commit();
    return a;
  });
}

std::optional<App> PostgresAppStore::findByKey(const std::string& appKey) {
  return run(Retry::Once, [&] { return findByKeyLocked(appKey); });
}

std::optional<App> PostgresAppStore::findByKeyLocked(const std::string& appKey, bool forUpdate) {
  const PgResult r = conn_->exec(selectApps(forUpdate ? "WHERE app_key = $1 FOR UPDATE"
                                                      : "WHERE app_key = $1"),
                                 PgParams().add(appKey), "cannot read an app");
  if (r.rows() == 0) return std::nullopt;
  return app_row::read(r.row(0));
}

std::vector<App> PostgresAppStore::list() {
  return run(Retry::Once, [&] {
    return readApps(conn_->exec(selectApps("ORDER BY id"), "cannot list apps"));
  });
}

std::vector<App> PostgresAppStore::listAliases(const std::string& parentKey) {
  return run(Retry::Once, [&] {
    return readApps(conn_->exec(selectApps("WHERE parent_key = $1 ORDER BY id"),
                                PgParams().add(parentKey), "cannot list alias keys"));
  });
}

bool PostgresAppStore::revoke(const std::string& appKey) {
  return run(Retry::Never, [&] {
    PgTransaction tx(*conn_);
    const bool found = conn_->exec("UPDATE apps SET revoked = 1 WHERE app_key = $1",
                                   PgParams().add(appKey), "cannot revoke an app")
                           .affected() > 0;
    if (found) notify("revoked", appKey);
    tx.commit();
    return found;
  });
}

bool PostgresAppStore::setDomains(const std::string& appKey,
                                  const std::vector<std::string>& domains) {
  return run(Retry::Never, [&] {
    PgTransaction tx(*conn_);
    const bool found =
        conn_->exec("UPDATE apps SET domains = $1 WHERE app_key = $2",
                    PgParams().add(app_row::domainsToJson(domains)).add(appKey),
                    "cannot change an app's domains")
            .affected() > 0;
    if (found) notify("changed", appKey);
    tx.commit();
    return found;
  });
}

std::optional<App> PostgresAppStore::update(const std::string& appKey, const AppUpdate& change) {
  return run(Retry::Never, [&]() -> std::optional<App> {
    PgTransaction tx(*conn_);
    auto app = findByKeyLocked(appKey, true);
    if (!app) return std::nullopt;
    app_row::apply(*app, change);
    PgParams p;
    p.add(app->name).add(app_row::domainsToJson(app->domains));
    p.add(std::int64_t{app->maxPeersPerRoom}).add(std::int64_t{app->turnEnabled ? 1 : 0});
    p.add(std::int64_t{app->persistentRooms ? 1 : 0}).add(toString(app->mediaMode));
    p.add(std::int64_t{app->autoSfuPeers}).add(app->expiresAtMs).add(appKey);
    conn_->exec(
        "UPDATE apps SET name = $1, domains = $2, max_peers_per_room = $3, turn_enabled = $4, "
        "persistent_rooms = $5, media_mode = $6, auto_sfu_peers = $7, expires_at_ms = $8 "
        "WHERE app_key = $9",
        p, "cannot update an app");
    notify("changed", appKey);
    tx.commit();
    return app;
  });
}

std::optional<std::string> PostgresAppStore::rotateSecret(const std::string& appKey) {
  return run(Retry::Never, [&]() -> std::optional<std::string> {
    PgTransaction tx(*conn_);
    std::string secret = app_row::newSecret();
    if (conn_->exec("UPDATE apps SET secret = $1 WHERE app_key = $2",
                    PgParams().add(secret).add(appKey), "cannot rotate a secret")
            .affected() == 0) {
      return std::nullopt;
    }
    notify("changed", appKey);
    tx.commit();
    return secret;
  });
}

std::optional<std::string> PostgresAppStore::setting(const std::string& name) {
  return run(Retry::Once, [&]() -> std::optional<std::string> {
    const PgResult r = conn_->exec("SELECT value FROM settings WHERE name = $1",
                                   PgParams().add(name), "cannot read a setting");
    if (r.rows() == 0) return std::nullopt;
    return r.row(0).text(0);
  });
}

void PostgresAppStore::setSetting(const std::string& name, const std::string& value) {
  run(Retry::Never, [&] {
    conn_->exec(
        "INSERT INTO settings (name, value) VALUES ($1, $2) "
        "ON CONFLICT (name) DO UPDATE SET value = excluded.value",
        PgParams().add(name).add(value), "cannot write a setting");
  });
}

std::string PostgresAppStore::settingOrInsert(const std::string& name, const std::string& value) {
  return run(Retry::Once, [&] {
    // Two statements, not one: the SELECT must see a row another node inserted meanwhile
    // (READ COMMITTED takes a new snapshot per statement). Repeating both is harmless.
    conn_->exec("INSERT INTO settings (name, value) VALUES ($1, $2) ON CONFLICT (name) DO NOTHING",
                PgParams().add(name).add(value), "cannot write a setting");
    const PgResult r = conn_->exec("SELECT value FROM settings WHERE name = $1",
                                   PgParams().add(name), "cannot read a setting");
    return r.rows() > 0 ? r.row(0).text(0) : value;
  });
}

void PostgresAppStore::recordSession(const SessionRecord& r) {
  recordSessions({r});
}

void PostgresAppStore::recordSessions(const std::vector<SessionRecord>& records) {
  if (records.empty()) return;
  run(Retry::Never, [&] {
    PgTransaction tx(*conn_);
    for (std::size_t from = 0; from < records.size(); from += kSessionsPerInsert) {
      const std::size_t to = std::min(records.size(), from + kSessionsPerInsert);
      std::string sql =
          "INSERT INTO sessions (app_key, realm, room_name, sid, joined_at_ms, left_at_ms) VALUES ";
      PgParams p;
      for (std::size_t i = from; i < to; ++i) {
        const auto& r = records[i];
        const std::size_t n = (i - from) * 6;
        sql += i == from ? "(" : ", (";
        for (std::size_t k = 1; k <= 6; ++k) {
          sql += "$" + std::to_string(n + k) + (k < 6 ? ", " : ")");
        }
        p.add(r.appKey).add(r.realm).add(r.roomName).add(r.sid);
        p.add(r.joinedAtMs).add(std::max(r.leftAtMs, r.joinedAtMs));
      }
      conn_->exec(sql, p, "cannot record sessions");
    }
    tx.commit();
  });
}

UsageReport PostgresAppStore::usage(const std::string& appKey, std::int64_t fromMs,
                                    std::int64_t toMs) {
  UsageReport report;
  report.fromMs = fromMs;
  report.toMs = toMs;
  if (toMs <= fromMs) return report;
  return run(Retry::Once, [&] {
    UsageReport out = report;
    // As SqliteAppStore::usage; names sort bytewise (COLLATE "C"), as SQLite sorts them.
    auto rows = [&](std::string_view column) {
      const std::string c(column);
      return conn_->exec(
          "SELECT " + c + ", COUNT(*), SUM(LEAST(left_at_ms, $1) - GREATEST(joined_at_ms, $2)) "
          "FROM sessions WHERE (realm = $3 OR app_key = $3) AND joined_at_ms < $1 AND "
          "left_at_ms > $2 GROUP BY " + c + " ORDER BY 3 DESC, " + c + " COLLATE \"C\"",
          PgParams().add(toMs).add(fromMs).add(appKey), "cannot read usage");
    };
    auto totals = [](const PgResult::Row& row) {
      return UsageTotals{static_cast<std::uint64_t>(row.integer(1)), row.integer(2)};
    };
    const PgResult rooms = rows("room_name");
    for (int i = 0; i < rooms.rows(); ++i) {
      const UsageTotals t = totals(rooms.row(i));
      out.rooms.push_back({rooms.row(i).text(0), t});
      out.totals.sessions += t.sessions;
      out.totals.peerMs += t.peerMs;
    }
    const PgResult keys = rows("app_key");
    for (int i = 0; i < keys.rows(); ++i) out.keys.push_back({keys.row(i).text(0), totals(keys.row(i))});
    return out;
  });
}

}  // namespace aerie
