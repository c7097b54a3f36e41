// AddressQuota: transports per remote IP (Limits::maxTransportsPerAddress), ports ignored.
#include <gtest/gtest.h>

#include "media/AddressQuota.hpp"

namespace aerie {
namespace {

stun::Address at(std::uint8_t last, std::uint16_t port) {
  stun::Address a;
  a.bytes = {10, 0, 0, last};
  a.port = port;
  return a;
}

TEST(AddressQuotaTest, CountsPerIpWhateverThePort) {
  AddressQuota q(2);
  EXPECT_TRUE(q.acquire(at(1, 1000)));
  EXPECT_TRUE(q.acquire(at(1, 2000)));
  EXPECT_FALSE(q.acquire(at(1, 3000))) << "a third transport from the same address";
  EXPECT_EQ(q.count(at(1, 9)), 2u);
  EXPECT_TRUE(q.acquire(at(2, 1000))) << "another address has its own quota";
  q.release(at(1, 1000));
  EXPECT_TRUE(q.acquire(at(1, 3000)));
}

TEST(AddressQuotaTest, ReleaseOfAnUnknownAddressIsHarmless) {
  AddressQuota q(1);
  q.release(at(7, 1));
  EXPECT_EQ(q.count(at(7, 1)), 0u);
  EXPECT_TRUE(q.acquire(at(7, 1)));
}

TEST(AddressQuotaTest, ZeroRefusesEverything) {
  AddressQuota q(0);
  EXPECT_FALSE(q.acquire(at(1, 1)));
  EXPECT_EQ(q.count(at(1, 1)), 0u);
}

}  // namespace
}  // namespace aerie
