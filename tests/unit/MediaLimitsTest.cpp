// The media plane's bounds in the one limits table: defaults, and settable by name.
#include <gtest/gtest.h>

#include "core/Limits.hpp"

using aerie::Limits;

TEST(MediaLimits, DefaultsAreTheRfcValues) {
  Limits l;
  EXPECT_EQ(l.iceConsentTimeoutMs, 30000u);  // RFC 7675 section 5.1
  EXPECT_EQ(l.dtlsHandshakeTimeoutMs, 30000u);
}

TEST(MediaLimits, SetByName) {
  Limits l;
  EXPECT_TRUE(l.set("ice-consent-timeout-ms", "5000"));
  EXPECT_EQ(l.iceConsentTimeoutMs, 5000u);
  EXPECT_TRUE(l.set("dtls-handshake-timeout-ms", "1000"));
  EXPECT_EQ(l.dtlsHandshakeTimeoutMs, 1000u);
  EXPECT_FALSE(l.set("ice-consent-timeout-ms", "-1"));
}
