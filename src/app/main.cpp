#include <string>
#include <vector>

#include "app/Cli.hpp"

int main(int argc, char** argv) {
  std::vector<std::string> args(argv + 1, argv + argc);
  return aerie::Cli::run(args);
}
