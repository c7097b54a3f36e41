// libFuzzer target: the RFC 6455 frame decoder fed client bytes in pieces. The first byte of
// the input picks where to split it, so partial headers, masks and payloads all get exercised.
#include <cstddef>
#include <cstdint>
#include <string>

#include "codec/WsFrameDecoder.hpp"

namespace {

struct Check : aerie::WsFrameDecoder::Handler {
  std::size_t limit;
  explicit Check(std::size_t l) : limit(l) {}
  bool onMessage(const aerie::WsFrameDecoder::Message& m) override {
    using Kind = aerie::WsFrameDecoder::Kind;
    if (m.kind == Kind::Text || m.kind == Kind::Binary) {
      if (m.payload.size() > limit) __builtin_trap();  // the limit holds for reassembled messages
    } else if (m.payload.size() > 125) {
      __builtin_trap();  // control frames are short
    }
    return m.kind != Kind::Close;
  }
};

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  if (size == 0) return 0;
  const std::size_t step = 1 + data[0] % 64;
  constexpr std::size_t kLimit = 4096;
  aerie::WsFrameDecoder decoder(kLimit);
  Check check(kLimit);
  std::string input(reinterpret_cast<const char*>(data + 1), size - 1);
  for (std::size_t pos = 0; pos < input.size(); pos += step) {
    std::size_t n = std::min(step, input.size() - pos);
    if (decoder.feed(input.data() + pos, n, check) != aerie::WsFrameDecoder::Status::Ok) break;
    if (decoder.bufferedBytes() > 2 * kLimit + 14) __builtin_trap();  // bounded buffering
  }
  return 0;
}
