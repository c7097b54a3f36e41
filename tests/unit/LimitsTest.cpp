#include "core/Limits.hpp"

#include <gtest/gtest.h>

using aerie::Limits;

TEST(Limits, SetByNameForEveryKind) {
  Limits l;
  EXPECT_TRUE(l.set("max-frame-bytes", "1024"));
  EXPECT_EQ(l.maxFrameBytes, 1024u);
  EXPECT_TRUE(l.set("handshake-timeout-ms", "250"));
  EXPECT_EQ(l.handshakeTimeoutMs, 250u);
  EXPECT_TRUE(l.set("broadcast-per-second", "2.5"));
  EXPECT_DOUBLE_EQ(l.broadcastPerSecond, 2.5);
}

TEST(Limits, RefusesUnknownNamesAndBadNumbers) {
  Limits l;
  EXPECT_FALSE(l.set("no-such-limit", "1"));
  EXPECT_FALSE(l.set("max-frame-bytes", "12x"));
  EXPECT_FALSE(l.set("max-frame-bytes", ""));
  EXPECT_FALSE(l.set("ping-interval-ms", "99999999999"));
  EXPECT_FALSE(l.set("broadcast-burst", "-1"));
  EXPECT_EQ(l.maxFrameBytes, Limits{}.maxFrameBytes);
}

TEST(Limits, EveryNameIsSettable) {
  for (const auto& name : Limits::names()) {
    Limits l;
    EXPECT_TRUE(l.set(name, "7")) << name;
  }
  EXPECT_GE(Limits::names().size(), 20u);
}
