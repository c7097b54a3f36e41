#pragma once
#include <string>
#include <vector>

namespace aerie {

// `aerie <command> ...`: serve, app ..., alias ..., token, version, help (the store commands are
// StoreCommands). Returns the exit code.
class Cli {
 public:
  static int run(const std::vector<std::string>& args);

 private:
  static int serve(const std::vector<std::string>& args);
  static void usage();
};

}  // namespace aerie
