#pragma once
// A command as a Redis server reads it: an array of bulk strings (RESP2 and RESP3 alike).
#include <string>
#include <string_view>
#include <vector>

namespace aerie {

struct RespCommand {
  // Appends `args` (binary-safe) to `out`.
  static void encode(const std::vector<std::string>& args, std::string& out);
};

}  // namespace aerie
