#pragma once
// A PostgreSQL result that clears itself (PQclear), and the row view the stores read:
// isNull/integer/text by column, as SqliteStatement has them.
#include <cstdint>
#include <string>

struct pg_result;

namespace aerie {

class PgResult {
 public:
  explicit PgResult(pg_result* result) : result_(result) {}
  ~PgResult();
  PgResult(PgResult&& other) noexcept : result_(other.result_) { other.result_ = nullptr; }
  PgResult& operator=(PgResult&& other) noexcept;
  PgResult(const PgResult&) = delete;
  PgResult& operator=(const PgResult&) = delete;

  class Row {
   public:
    Row(const PgResult& result, int row) : result_(result), row_(row) {}
    bool isNull(int col) const;
    // A NULL or a value that is not a whole number reads as 0.
    std::int64_t integer(int col) const;
    std::string text(int col) const;

   private:
    const PgResult& result_;
    int row_;
  };

  // A statement that completed (with or without rows); false for errors and a null result.
  bool ok() const;
  int rows() const;
  // Rows changed by an INSERT, UPDATE or DELETE.
  std::int64_t affected() const;
  Row row(int i) const { return Row(*this, i); }

 private:
  pg_result* result_;
};

}  // namespace aerie
