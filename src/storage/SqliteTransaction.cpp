#include "storage/SqliteTransaction.hpp"

#include <sqlite3.h>

#include "storage/SqliteStatement.hpp"

namespace aerie {

SqliteTransaction::SqliteTransaction(sqlite3* db) : db_(db) {
  SqliteStatement::execute(db_, "BEGIN IMMEDIATE", "cannot start a transaction");
}

SqliteTransaction::~SqliteTransaction() {
  // A destructor must not throw; a failed rollback leaves SQLite to roll back on close.
  if (!done_) sqlite3_exec(db_, "ROLLBACK", nullptr, nullptr, nullptr);
}

void SqliteTransaction::commit() {
  SqliteStatement::execute(db_, "COMMIT", "cannot commit");
  done_ = true;
}

}  // namespace aerie
