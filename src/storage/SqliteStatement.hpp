#pragma once
// A prepared SQLite statement that finalizes itself. Errors throw std::runtime_error: the
// database is our own, not wire data, and a failed query leaves nothing sensible to return.
#include <cstdint>
#include <string>
#include <string_view>

struct sqlite3;
struct sqlite3_stmt;

namespace aerie {

class SqliteStatement {
 public:
  SqliteStatement(sqlite3* db, std::string_view sql);
  ~SqliteStatement();
  SqliteStatement(const SqliteStatement&) = delete;
  SqliteStatement& operator=(const SqliteStatement&) = delete;

  // Parameters are numbered from 1, as in SQLite.
  SqliteStatement& bind(int i, std::string_view v);
  SqliteStatement& bind(int i, std::int64_t v);
  SqliteStatement& bindNull(int i);
  // True while a row is available; false when done.
  bool step();
  // Columns are numbered from 0.
  bool isNull(int col) const;
  std::int64_t integer(int col) const;
  std::string text(int col) const;

  // Runs one or more statements without results; `what` prefixes the error message.
  static void execute(sqlite3* db, const std::string& sql, const std::string& what);

 private:
  void check(int rc, const char* what);

  sqlite3* db_;
  sqlite3_stmt* stmt_ = nullptr;
};

}  // namespace aerie
