// libFuzzer target: the Redis reply parser (RESP2/RESP3) must never crash, read out of bounds or
// claim more bytes than it was given, and must parse a stream of replies the way the client
// does (one after another from the front of its buffer).
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "codec/RespParser.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  std::string_view in(reinterpret_cast<const char*>(data), size);
  aerie::RespParser::Bounds bounds;
  bounds.maxBytes = 4096;
  bounds.maxElements = 256;
  while (!in.empty()) {
    aerie::RespValue v;
    const auto r = aerie::RespParser::parse(in, v, bounds);
    if (r.status != aerie::RespParser::Status::Complete) break;
    if (r.consumed == 0 || r.consumed > in.size()) __builtin_trap();
    in.remove_prefix(r.consumed);
  }
  return 0;
}
