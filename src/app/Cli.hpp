#pragma once
#include <string>
#include <vector>

namespace aerie {

// `aerie <command> ...`: serve, app create|list|revoke, version, help. Returns the exit code.
class Cli {
 public:
  static int run(const std::vector<std::string>& args);

 private:
  static int serve(const std::vector<std::string>& args);
  static int app(const std::vector<std::string>& args);
  static void usage();
};

}  // namespace aerie
