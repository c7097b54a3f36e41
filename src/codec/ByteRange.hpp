#pragma once
// The Range request header (RFC 9110 section 14.2) for one file of known size: `bytes=a-b`,
// `bytes=a-` and `bytes=-n`, resolved against the size. A view over the header: nothing is
// copied, nothing throws. Aerie answers a single range with 206 and ignores a header it cannot
// use as one range (another unit, a syntax error, several ranges: RFC 9110 lets a server send
// the whole file instead), so that only one range that is well formed but lies beyond the
// file is a 416.
#include <cstdint>
#include <string_view>

namespace aerie {

class ByteRange {
 public:
  enum class Kind {
    Whole,          // no usable Range header: the whole file, 200
    Partial,        // one satisfiable range: bytes [first, last], 206
    Unsatisfiable,  // one well-formed range beyond the file: 416 with `bytes */size`
  };
  Kind kind = Kind::Whole;
  std::uint64_t first = 0;
  std::uint64_t last = 0;  // inclusive

  std::uint64_t length() const { return kind == Kind::Partial ? last - first + 1 : 0; }

  // `header`: the Range header's value, empty when absent. `size`: the file's length.
  static ByteRange parse(std::string_view header, std::uint64_t size);
};

}  // namespace aerie
