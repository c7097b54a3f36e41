#pragma once
// BEGIN ... COMMIT on a PgConnection, rolled back if the scope is left without commit().
namespace aerie {

class PgConnection;

class PgTransaction {
 public:
  explicit PgTransaction(PgConnection& conn);
  ~PgTransaction();
  PgTransaction(const PgTransaction&) = delete;
  PgTransaction& operator=(const PgTransaction&) = delete;

  void commit();

 private:
  PgConnection& conn_;
  bool done_ = false;
};

}  // namespace aerie
