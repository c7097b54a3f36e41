#pragma once
// An error of the PostgreSQL store. `connectionLost`: the connection broke (the server went
// away, a network error), as opposed to an error of the statement itself. `nothingDone`: it
// broke before the operation changed anything (at BEGIN), so trying again is safe.
#include <stdexcept>
#include <string>

namespace aerie {

class PgError : public std::runtime_error {
 public:
  PgError(const std::string& what, bool connectionLost, bool nothingDone = false)
      : std::runtime_error(what), connectionLost_(connectionLost), nothingDone_(nothingDone) {}
  bool connectionLost() const { return connectionLost_; }
  bool nothingDone() const { return nothingDone_; }

 private:
  bool connectionLost_;
  bool nothingDone_;
};

}  // namespace aerie
