#pragma once
// The CLI's store commands, for scripts: `aerie app ...`, `aerie alias ...`, `aerie token`.
// They open the store directly: the data directory's database (safe while `aerie serve` runs
// on it: SQLite WAL, and writes take the write lock), or with `--store postgresql://...` the
// database the nodes share (a change reaches every node at once). They validate with the admin
// API's AppFields tables and print JSON (the admin API's shapes) on stdout. Return the exit code.
#include <string>
#include <vector>

namespace aerie {

class StoreCommands {
 public:
  static int app(const std::vector<std::string>& args);
  static int alias(const std::vector<std::string>& args);
  static int token(const std::vector<std::string>& args);
  static const char* usage();
};

}  // namespace aerie
