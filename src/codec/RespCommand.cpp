#include "codec/RespCommand.hpp"

namespace aerie {

void RespCommand::encode(const std::vector<std::string>& args, std::string& out) {
  out += '*';
  out += std::to_string(args.size());
  out += "\r\n";
  for (const auto& a : args) {
    out += '$';
    out += std::to_string(a.size());
    out += "\r\n";
    out += a;
    out += "\r\n";
  }
}

}  // namespace aerie
