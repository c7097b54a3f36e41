#include "storage/SqliteAppStore.hpp"

#include <sqlite3.h>

#include <algorithm>
#include <filesystem>
#include <stdexcept>
#include <string_view>

#include "storage/AppRow.hpp"
#include "storage/Schema.hpp"
#include "storage/SqliteStatement.hpp"
#include "storage/SqliteTransaction.hpp"

namespace aerie {
namespace {

using app_row::kColumns;

}  // namespace

SqliteAppStore::SqliteAppStore(const std::string& path) : path_(path) {
  // NOMUTEX: our own mutex serialises every use of the connection.
  const int flags = SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE | SQLITE_OPEN_NOMUTEX;
  if (sqlite3_open_v2(path.c_str(), &db_, flags, nullptr) != SQLITE_OK) {
    const std::string msg = db_ ? sqlite3_errmsg(db_) : "out of memory";
    sqlite3_close(db_);
    db_ = nullptr;
    throw std::runtime_error("cannot open app database " + path + ": " + msg);
  }
  try {
    // The file holds every app secret and the token signing key: owner-only access.
    std::error_code ec;
    std::filesystem::permissions(
        path, std::filesystem::perms::owner_read | std::filesystem::perms::owner_write, ec);
    sqlite3_busy_timeout(db_, 5000);
    // Reading the header first turns "not a database" into a clear error.
    SqliteStatement::execute(db_, "PRAGMA journal_mode=WAL", "cannot open app database " + path);
    SqliteStatement::execute(db_, "PRAGMA synchronous=NORMAL",
                             "cannot configure app database " + path);
    {
      SqliteStatement check(db_, "PRAGMA quick_check");
      const std::string result = check.step() ? check.text(0) : "no result";
      if (result != "ok") {
        throw std::runtime_error("app database " + path + " is corrupt: " + result);
      }
    }
    migrate();
  } catch (const std::runtime_error& e) {
    sqlite3_close(db_);
    db_ = nullptr;
    const std::string what = e.what();
    if (what.find(path) != std::string::npos) throw;
    throw std::runtime_error("app database " + path + ": " + what);
  }
}

SqliteAppStore::~SqliteAppStore() {
  sqlite3_close(db_);
}

std::unique_ptr<SqliteAppStore> SqliteAppStore::openInDir(const std::string& dataDir) {
  std::error_code ec;
  std::filesystem::create_directories(dataDir, ec);
  if (ec) {
    throw std::runtime_error("cannot create data directory " + dataDir + ": " + ec.message());
  }
  return std::make_unique<SqliteAppStore>(
      (std::filesystem::path(dataDir) / "aerie.sqlite3").string());
}

int SqliteAppStore::latestSchemaVersion() {
  return static_cast<int>(schema::migrations().size());
}

void SqliteAppStore::migrate() {
  // IMMEDIATE takes the write lock at once, so two processes opening the same fresh file
  // cannot both apply migration 1.
  SqliteStatement::execute(db_, "BEGIN IMMEDIATE", "cannot start migration");
  try {
    SqliteStatement::execute(db_,
                             "CREATE TABLE IF NOT EXISTS schema_version (version INTEGER NOT NULL)",
                             "cannot create schema_version");
    std::int64_t version = 0;
    {
      SqliteStatement s(db_, "SELECT version FROM schema_version LIMIT 1");
      if (s.step()) {
        version = s.integer(0);
      } else {
        SqliteStatement::execute(db_, "INSERT INTO schema_version (version) VALUES (0)",
                                 "cannot set schema version");
      }
    }
    if (version < 0 || version > latestSchemaVersion()) {
      throw std::runtime_error("schema version " + std::to_string(version) +
                               " is newer than this Aerie supports (" +
                               std::to_string(latestSchemaVersion()) + ")");
    }
    for (auto v = static_cast<std::size_t>(version); v < schema::migrations().size(); ++v) {
      SqliteStatement::execute(db_, std::string(schema::migrations()[v]),
                               "migration " + std::to_string(v + 1) + " failed");
    }
    SqliteStatement u(db_, "UPDATE schema_version SET version = ?");
    u.bind(1, static_cast<std::int64_t>(latestSchemaVersion())).step();
    SqliteStatement::execute(db_, "COMMIT", "cannot commit migration");
  } catch (...) {
    sqlite3_exec(db_, "ROLLBACK", nullptr, nullptr, nullptr);
    throw;
  }
}

int SqliteAppStore::schemaVersion() {
  std::lock_guard lock(mutex_);
  SqliteStatement s(db_, "SELECT version FROM schema_version LIMIT 1");
  return s.step() ? static_cast<int>(s.integer(0)) : 0;
}

App SqliteAppStore::create(const NewApp& n, std::int64_t nowMs) {
  std::lock_guard lock(mutex_);
  if (n.parentKey) app_row::checkParent(*n.parentKey, findByKeyLocked(*n.parentKey));
  App a = app_row::fromNew(n, nowMs);

  SqliteStatement s(db_,
                    "INSERT INTO apps (app_key, name, owner, secret, domains, parent_key, revoked, "
                    "created_at_ms, expires_at_ms, max_peers_per_room, turn_enabled, "
                    "persistent_rooms, media_mode, auto_sfu_peers) "
                    "VALUES (?, ?, ?, ?, ?, ?, 0, ?, ?, ?, ?, ?, ?, ?)");
  s.bind(1, a.appKey).bind(2, a.name).bind(3, a.owner).bind(4, a.secret);
  s.bind(5, app_row::domainsToJson(a.domains));
  if (a.parentKey) {
    s.bind(6, *a.parentKey);
  } else {
    s.bindNull(6);
  }
  s.bind(7, a.createdAtMs);
  if (a.expiresAtMs) {
    s.bind(8, *a.expiresAtMs);
  } else {
    s.bindNull(8);
  }
  s.bind(9, static_cast<std::int64_t>(a.maxPeersPerRoom));
  s.bind(10, std::int64_t{a.turnEnabled ? 1 : 0});
  s.bind(11, std::int64_t{a.persistentRooms ? 1 : 0});
  s.bind(12, toString(a.mediaMode));
  s.bind(13, static_cast<std::int64_t>(a.autoSfuPeers));
  s.step();
  a.id = sqlite3_last_insert_rowid(db_);
  return a;
}

std::optional<App> SqliteAppStore::findByKey(const std::string& appKey) {
  std::lock_guard lock(mutex_);
  return findByKeyLocked(appKey);
}

std::optional<App> SqliteAppStore::findByKeyLocked(const std::string& appKey) {
  SqliteStatement s(db_, "SELECT " + std::string(kColumns) + " FROM apps WHERE app_key = ?");
  s.bind(1, appKey);
  if (!s.step()) return std::nullopt;
  return app_row::read(s);
}

std::vector<App> SqliteAppStore::list() {
  std::lock_guard lock(mutex_);
  SqliteStatement s(db_, "SELECT " + std::string(kColumns) + " FROM apps ORDER BY id");
  std::vector<App> out;
  while (s.step()) out.push_back(app_row::read(s));
  return out;
}

bool SqliteAppStore::revoke(const std::string& appKey) {
  std::lock_guard lock(mutex_);
  SqliteStatement s(db_, "UPDATE apps SET revoked = 1 WHERE app_key = ?");
  s.bind(1, appKey).step();
  return sqlite3_changes(db_) > 0;
}

bool SqliteAppStore::setDomains(const std::string& appKey,
                                const std::vector<std::string>& domains) {
  std::lock_guard lock(mutex_);
  SqliteStatement s(db_, "UPDATE apps SET domains = ? WHERE app_key = ?");
  s.bind(1, app_row::domainsToJson(domains)).bind(2, appKey).step();
  return sqlite3_changes(db_) > 0;
}

std::vector<App> SqliteAppStore::listAliases(const std::string& parentKey) {
  std::lock_guard lock(mutex_);
  SqliteStatement s(db_, "SELECT " + std::string(kColumns) +
                             " FROM apps WHERE parent_key = ? ORDER BY id");
  s.bind(1, parentKey);
  std::vector<App> out;
  while (s.step()) out.push_back(app_row::read(s));
  return out;
}

std::optional<App> SqliteAppStore::update(const std::string& appKey, const AppUpdate& change) {
  std::lock_guard lock(mutex_);
  SqliteTransaction tx(db_);
  auto app = findByKeyLocked(appKey);
  if (!app) return std::nullopt;
  app_row::apply(*app, change);

  SqliteStatement s(db_,
                    "UPDATE apps SET name = ?, domains = ?, max_peers_per_room = ?, "
                    "turn_enabled = ?, persistent_rooms = ?, media_mode = ?, auto_sfu_peers = ?, "
                    "expires_at_ms = ? WHERE app_key = ?");
  s.bind(1, app->name).bind(2, app_row::domainsToJson(app->domains));
  s.bind(3, static_cast<std::int64_t>(app->maxPeersPerRoom));
  s.bind(4, std::int64_t{app->turnEnabled ? 1 : 0});
  s.bind(5, std::int64_t{app->persistentRooms ? 1 : 0});
  s.bind(6, toString(app->mediaMode));
  s.bind(7, static_cast<std::int64_t>(app->autoSfuPeers));
  if (app->expiresAtMs) {
    s.bind(8, *app->expiresAtMs);
  } else {
    s.bindNull(8);
  }
  s.bind(9, appKey).step();
  tx.commit();
  return app;
}

std::optional<std::string> SqliteAppStore::rotateSecret(const std::string& appKey) {
  std::lock_guard lock(mutex_);
  std::string secret = app_row::newSecret();
  SqliteStatement s(db_, "UPDATE apps SET secret = ? WHERE app_key = ?");
  s.bind(1, secret).bind(2, appKey).step();
  if (sqlite3_changes(db_) == 0) return std::nullopt;
  return secret;
}

void SqliteAppStore::recordSession(const SessionRecord& r) {
  recordSessions({r});
}

void SqliteAppStore::recordSessions(const std::vector<SessionRecord>& records) {
  std::lock_guard lock(mutex_);
  SqliteTransaction tx(db_);
  for (const auto& r : records) {
    SqliteStatement s(db_,
                      "INSERT INTO sessions (app_key, realm, room_name, sid, joined_at_ms, "
                      "left_at_ms) VALUES (?, ?, ?, ?, ?, ?)");
    s.bind(1, r.appKey).bind(2, r.realm).bind(3, r.roomName).bind(4, r.sid);
    s.bind(5, r.joinedAtMs).bind(6, std::max(r.leftAtMs, r.joinedAtMs)).step();
  }
  tx.commit();
}

UsageReport SqliteAppStore::usage(const std::string& appKey, std::int64_t fromMs,
                                  std::int64_t toMs) {
  std::lock_guard lock(mutex_);
  UsageReport report;
  report.fromMs = fromMs;
  report.toMs = toMs;
  if (toMs <= fromMs) return report;
  // A primary key answers for its realm, an alias key for its own sessions; each session is
  // counted for the part of it inside the window. The two indexes serve the two branches.
  const std::string select =
      "SELECT {group}, COUNT(*), SUM(MIN(left_at_ms, ?1) - MAX(joined_at_ms, ?2)) FROM sessions "
      "WHERE (realm = ?3 OR app_key = ?3) AND joined_at_ms < ?1 AND left_at_ms > ?2 "
      "GROUP BY {group} ORDER BY 3 DESC, 1";
  auto run = [&](std::string_view column, auto&& each) {
    std::string sql = select;
    for (std::size_t at; (at = sql.find("{group}")) != std::string::npos;) {
      sql.replace(at, 7, column);
    }
    SqliteStatement s(db_, sql);
    s.bind(1, toMs).bind(2, fromMs).bind(3, appKey);
    while (s.step()) {
      UsageTotals t;
      t.sessions = static_cast<std::uint64_t>(s.integer(1));
      t.peerMs = s.integer(2);
      each(s.text(0), t);
    }
  };
  run("room_name", [&](std::string name, const UsageTotals& t) {
    report.rooms.push_back({std::move(name), t});
    report.totals.sessions += t.sessions;
    report.totals.peerMs += t.peerMs;
  });
  run("app_key", [&](std::string key, const UsageTotals& t) {
    report.keys.push_back({std::move(key), t});
  });
  return report;
}

std::optional<std::string> SqliteAppStore::setting(const std::string& name) {
  std::lock_guard lock(mutex_);
  SqliteStatement s(db_, "SELECT value FROM settings WHERE name = ?");
  s.bind(1, name);
  if (!s.step()) return std::nullopt;
  return s.text(0);
}

std::string SqliteAppStore::settingOrInsert(const std::string& name, const std::string& value) {
  std::lock_guard lock(mutex_);
  SqliteStatement insert(db_,
                         "INSERT INTO settings (name, value) VALUES (?, ?) "
                         "ON CONFLICT(name) DO NOTHING");
  insert.bind(1, name).bind(2, value).step();
  SqliteStatement s(db_, "SELECT value FROM settings WHERE name = ?");
  s.bind(1, name);
  return s.step() ? s.text(0) : value;
}

void SqliteAppStore::setSetting(const std::string& name, const std::string& value) {
  std::lock_guard lock(mutex_);
  SqliteStatement s(db_,
                    "INSERT INTO settings (name, value) VALUES (?, ?) "
                    "ON CONFLICT(name) DO UPDATE SET value = excluded.value");
  s.bind(1, name).bind(2, value).step();
}

}  // namespace aerie
