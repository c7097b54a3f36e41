#include "storage/PgResult.hpp"

#include <libpq-fe.h>

#include <charconv>
#include <cstring>

namespace aerie {

PgResult::~PgResult() {
  PQclear(result_);
}

PgResult& PgResult::operator=(PgResult&& other) noexcept {
  if (this != &other) {
    PQclear(result_);
    result_ = other.result_;
    other.result_ = nullptr;
  }
  return *this;
}

bool PgResult::ok() const {
  if (result_ == nullptr) return false;
  const auto status = PQresultStatus(result_);
  return status == PGRES_COMMAND_OK || status == PGRES_TUPLES_OK;
}

int PgResult::rows() const {
  return result_ ? PQntuples(result_) : 0;
}

std::int64_t PgResult::affected() const {
  const char* n = result_ ? PQcmdTuples(result_) : "";
  std::int64_t v = 0;
  std::from_chars(n, n + std::strlen(n), v);
  return v;
}

bool PgResult::Row::isNull(int col) const {
  return PQgetisnull(result_.result_, row_, col) != 0;
}

std::int64_t PgResult::Row::integer(int col) const {
  const char* p = PQgetvalue(result_.result_, row_, col);
  const int n = PQgetlength(result_.result_, row_, col);
  std::int64_t v = 0;
  std::from_chars(p, p + n, v);
  return v;
}

std::string PgResult::Row::text(int col) const {
  return std::string(PQgetvalue(result_.result_, row_, col),
                     static_cast<std::size_t>(PQgetlength(result_.result_, row_, col)));
}

}  // namespace aerie
