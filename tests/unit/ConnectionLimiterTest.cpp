#include "transport/ConnectionLimiter.hpp"

#include <gtest/gtest.h>

using aerie::ConnectionLimiter;

TEST(ConnectionLimiter, RefusesAnAddressAtItsLimitAndFreesOnRelease) {
  ConnectionLimiter limiter(2);
  EXPECT_TRUE(limiter.tryAcquire("192.0.2.1", false));
  EXPECT_TRUE(limiter.tryAcquire("192.0.2.1", false));
  EXPECT_FALSE(limiter.tryAcquire("192.0.2.1", false));
  EXPECT_TRUE(limiter.tryAcquire("192.0.2.2", false)) << "other addresses are not affected";
  limiter.release("192.0.2.1", false);
  EXPECT_TRUE(limiter.tryAcquire("192.0.2.1", false));
  EXPECT_EQ(limiter.count("192.0.2.1"), 2u);
}

TEST(ConnectionLimiter, LoopbackIsExempt) {
  ConnectionLimiter limiter(1);
  for (int i = 0; i < 10; ++i) EXPECT_TRUE(limiter.tryAcquire("127.0.0.1", true));
  EXPECT_EQ(limiter.count("127.0.0.1"), 0u);
}

TEST(ConnectionLimiter, ReleaseOfUnknownAddressIsHarmless) {
  ConnectionLimiter limiter(1);
  limiter.release("192.0.2.9", false);
  EXPECT_TRUE(limiter.tryAcquire("192.0.2.9", false));
}
