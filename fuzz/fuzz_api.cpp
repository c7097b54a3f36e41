// libFuzzer target: the API server's request handling (paths, room names, credentials,
// origins) against a real SQLite store in memory, and the Range header of recording downloads
// (codec/ByteRange). Input: target, origin, referer and a Range header separated by newlines.
#include <cstddef>
#include <cstdint>
#include <string>

#include "core/Limits.hpp"
#include "api/ApiService.hpp"
#include "api/TokenSigner.hpp"
#include "codec/ByteRange.hpp"
#include "storage/SqliteAppStore.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  static aerie::SqliteAppStore store(":memory:");
  static aerie::TokenSigner signer("fuzz-signing-secret");
  static aerie::ApiConfig config;
  static aerie::Limits limits;
  static aerie::ApiService api(store, signer, config, limits);
  static std::string appKey = [] {
    aerie::NewApp n;
    n.name = "fuzz";
    n.owner = "fuzz";
    n.domains = {"example.com", "*.example.org", "localhost"};
    return store.create(n, 0).appKey;
  }();
  std::string_view in(reinterpret_cast<const char*>(data), size);
  aerie::HttpRequestView req;
  auto take = [&in]() {
    auto nl = in.find('\n');
    std::string part(in.substr(0, nl));
    in = nl == std::string_view::npos ? std::string_view() : in.substr(nl + 1);
    return part;
  };
  req.method = (size > 0 && data[0] & 1) ? "OPTIONS" : "GET";
  std::string target = take();
  // Half the inputs use the real key, so the fuzzer reaches the room and credential checks.
  req.target = (size > 1 && data[1] & 1) ? "/api/" + appKey + "/" + target : target;
  std::string origin = take();
  if (!origin.empty()) req.origin = origin;
  std::string referer = take();
  if (!referer.empty()) req.referer = referer;
  req.host = "localhost:8080";
  (void)api.handle(req, 1'800'000'000'000);
  // A range resolved against a file size from the first bytes (0 and small sizes included).
  const std::string range = take();
  const std::uint64_t fileSize = size > 2 ? data[2] * 4099ULL : 0;
  const auto r = aerie::ByteRange::parse(range, fileSize);
  if (r.kind == aerie::ByteRange::Kind::Partial && (r.first > r.last || r.last >= fileSize)) __builtin_trap();
  return 0;
}
