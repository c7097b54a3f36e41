#include "storage/PgTransaction.hpp"

#include "storage/PgConnection.hpp"
#include "storage/PgError.hpp"

namespace aerie {

PgTransaction::PgTransaction(PgConnection& conn) : conn_(conn) {
  try {
    conn_.exec("BEGIN", "cannot start a transaction");
  } catch (const PgError& e) {
    throw PgError(e.what(), e.connectionLost(), true);  // nothing of the transaction happened
  }
}

PgTransaction::~PgTransaction() {
  if (done_) return;
  // A destructor must not throw; on a broken connection the server rolls back by itself.
  try {
    conn_.exec("ROLLBACK", "cannot roll back");
  } catch (...) {
  }
}

void PgTransaction::commit() {
  done_ = true;
  conn_.exec("COMMIT", "cannot commit");
}

}  // namespace aerie
