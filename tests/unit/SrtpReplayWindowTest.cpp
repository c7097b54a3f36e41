// The SRTP index estimate (RFC 3711 appendix A), the replay window, and the SSRC table.
#include <gtest/gtest.h>

#include "media/SrtpReplayWindow.hpp"
#include "media/SrtpStreamTable.hpp"

namespace aerie {
namespace {

TEST(SrtpEstimateIndex, GuessesTheRolloverCounter) {
  struct Row {
    std::uint64_t highest;
    std::uint16_t seq;
    std::int64_t index;
  };
  const Row rows[] = {
      {100, 101, 101},                         // next
      {100, 50, 50},                           // a little late
      {65535, 0, 0x10000},                     // the wrap
      {0x10000 | 2, 65534, 65534},             // late, from before the wrap
      {0x10000 | 40000, 10, 0x20000 | 10},     // after the next wrap
      {0x10000 | 40000, 20000, 0x10000 | 20000},
      {5, 60000, -1},                          // before the first packet: no counter below 0
      {0xFFFFFFFF0000ull | 65535, 1, -1},      // the counter would pass 2^32
  };
  for (const Row& r : rows) EXPECT_EQ(srtpEstimateIndex(r.highest, r.seq), r.index) << r.highest << " " << r.seq;
}

TEST(SrtpReplayWindow, AcceptsEachIndexOnceWithinTheWindow) {
  SrtpReplayWindow<128> w;
  EXPECT_TRUE(w.fresh(1000));
  w.accept(1000);
  EXPECT_FALSE(w.fresh(1000));
  EXPECT_TRUE(w.fresh(999));
  EXPECT_TRUE(w.fresh(1000 - 127));
  EXPECT_FALSE(w.fresh(1000 - 128));  // too old
  w.accept(1003);
  EXPECT_TRUE(w.fresh(1001));
  EXPECT_TRUE(w.fresh(1002));
  w.accept(1001);
  EXPECT_FALSE(w.fresh(1001));
  w.accept(1003 + 127);  // 1003 is now the oldest in the window, seen
  EXPECT_FALSE(w.fresh(1003));
  EXPECT_TRUE(w.fresh(1004));
  w.accept(5000);  // a jump beyond the window clears it
  EXPECT_FALSE(w.fresh(1004));
  EXPECT_TRUE(w.fresh(4999));
  EXPECT_EQ(w.highest(), 5000u);
}

struct Entry {
  std::uint32_t ssrc = 0;
  int value = 0;
};

TEST(SrtpStreamTable, FindsEveryStreamUpToTheLimit) {
  SrtpStreamTable<Entry> t(300);
  for (std::uint32_t i = 0; i < 300; ++i) {
    const std::uint32_t ssrc = i * 0x10000;  // many share low bits
    ASSERT_EQ(t.find(ssrc), nullptr);
    Entry* e = t.insert(ssrc);
    ASSERT_NE(e, nullptr);
    e->value = static_cast<int>(i);
  }
  EXPECT_TRUE(t.full());
  EXPECT_EQ(t.insert(12345), nullptr);
  for (std::uint32_t i = 0; i < 300; ++i) {
    Entry* e = t.find(i * 0x10000);
    ASSERT_NE(e, nullptr);
    EXPECT_EQ(e->value, static_cast<int>(i));
  }
  EXPECT_EQ(t.find(1), nullptr);
}

}  // namespace
}  // namespace aerie
