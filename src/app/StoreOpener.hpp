#pragma once
// The server's and the CLI's store: SQLite in the data directory (the default, one node), or
// the PostgreSQL database `--store postgresql://...` names (shared by several nodes).
#include <memory>

#include "storage/AppStore.hpp"

namespace aerie {

struct Config;

class StoreOpener {
 public:
  // Throws std::runtime_error (the store's own, naming the file or the URL without password).
  static std::unique_ptr<AppStore> open(const Config& config);
  // How the store is named in messages: the data directory or the redacted URL.
  static std::string describe(const Config& config);
};

}  // namespace aerie
