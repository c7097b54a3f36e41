#pragma once
// Parses one RESP2/RESP3 reply from the front of a byte buffer. Every length is checked
// against the bytes at hand and against the bounds given, and nothing is thrown: wire data
// from a Redis server is input like any other (a proxy or a wrong port can send anything).
// Attributes (RESP3 |) are read and dropped, as the protocol allows a client to.
#include <cstddef>
#include <string_view>

#include "codec/RespValue.hpp"

namespace aerie {

class RespParser {
 public:
  struct Bounds {
    std::size_t maxBytes = 1024 * 1024;  // one reply, every byte of it
    std::size_t maxElements = 100000;    // elements of all aggregates in one reply
    std::size_t maxDepth = 8;            // nesting of aggregates
  };
  enum class Status { Complete, Incomplete, Invalid };
  struct Result {
    Status status = Status::Incomplete;
    std::size_t consumed = 0;  // bytes of the reply when Complete
  };

  // A complete reply at the front of `in` goes to `out`. Incomplete: more bytes are needed
  // (unless `in` already holds maxBytes, which is Invalid). Invalid: the stream is unusable.
  static Result parse(std::string_view in, RespValue& out, const Bounds& bounds);
  static Result parse(std::string_view in, RespValue& out) { return parse(in, out, Bounds{}); }
};

}  // namespace aerie
