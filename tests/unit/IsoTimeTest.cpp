#include <gtest/gtest.h>

#include "core/IsoTime.hpp"

namespace aerie {
namespace {

// Expected values from node: Date.parse(...).
TEST(IsoTimeTest, ParsesWhatJavaScriptParses) {
  const std::pair<const char*, std::int64_t> cases[] = {
      {"2026-11-25T10:00:00.000Z", 1795600800000},
      {"2026-11-25T10:00:00Z", 1795600800000},
      {"2026-11-25T10:00Z", 1795600800000},
      {"2026-11-25T11:30:00.5+01:30", 1795600800500},
      {"2026-11-25T11:30:00.5+0130", 1795600800500},
      {"2026-11-25T08:00:00.000-02:00", 1795600800000},
      {"1969-12-31T23:59:59.999Z", -1},
      {"1970-01-01T00:00:00.000Z", 0},
      {"2024-02-29T00:00:00Z", 1709164800000},
      {"2026-11-25T10:00:00.123456789Z", 1795600800123},
  };
  for (const auto& [text, ms] : cases) {
    EXPECT_EQ(IsoTime::parseMs(text), std::optional<std::int64_t>(ms)) << text;
  }
}

TEST(IsoTimeTest, RejectsMalformed) {
  for (const char* bad :
       {"", "2026-11-25", "2026-11-25T10:00:00", "2026-11-25 10:00:00Z", "2026-13-01T00:00Z",
        "2026-02-29T00:00Z", "2026-11-31T00:00Z", "2026-11-25T24:00Z", "2026-11-25T10:60Z",
        "2026-11-25T10:00:60Z", "2026-11-25T10:00:00.Z", "2026-11-25T10:00:00.0000000000Z",
        "2026-11-25T10:00:00ZZ", "2026-11-25T10:00:00+1:00", "+2026-11-25T10:00Z",
        "2026-1-25T10:00Z", "abcd-ef-ghTij:klZ", "2026-11-25T10:00:00z"}) {
    EXPECT_FALSE(IsoTime::parseMs(bad).has_value()) << bad;
  }
}

TEST(IsoTimeTest, FormatsLikeToIsoString) {
  EXPECT_EQ(IsoTime::format(1795600800000), "2026-11-25T10:00:00.000Z");
  EXPECT_EQ(IsoTime::format(1795600800123), "2026-11-25T10:00:00.123Z");
  EXPECT_EQ(IsoTime::format(0), "1970-01-01T00:00:00.000Z");
  EXPECT_EQ(IsoTime::format(-1), "1969-12-31T23:59:59.999Z");
  EXPECT_EQ(IsoTime::format(1709164800000), "2024-02-29T00:00:00.000Z");
}

TEST(IsoTimeTest, RoundTrips) {
  for (std::int64_t ms = -86400000LL * 400; ms < 86400000LL * 365 * 100; ms += 86399999LL * 7) {
    EXPECT_EQ(IsoTime::parseMs(IsoTime::format(ms)), ms);
  }
}

}  // namespace
}  // namespace aerie
