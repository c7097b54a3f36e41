#pragma once
// BEGIN IMMEDIATE ... COMMIT, rolled back if the scope is left without commit(). IMMEDIATE
// takes the write lock at the start, so a read-modify-write cannot interleave with another
// process (the CLI changing apps while `aerie serve` runs on the same file).
struct sqlite3;

namespace aerie {

class SqliteTransaction {
 public:
  explicit SqliteTransaction(sqlite3* db);
  ~SqliteTransaction();
  SqliteTransaction(const SqliteTransaction&) = delete;
  SqliteTransaction& operator=(const SqliteTransaction&) = delete;

  void commit();

 private:
  sqlite3* db_;
  bool done_ = false;
};

}  // namespace aerie
