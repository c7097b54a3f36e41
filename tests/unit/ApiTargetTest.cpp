#include <gtest/gtest.h>

#include "api/ApiTarget.hpp"
#include "codec/QueryString.hpp"

namespace aerie {
namespace {

TEST(ApiTargetTest, PlainSession) {
  const auto t = ApiTarget::parse("/api/key-1/my%20room?rand=123");
  ASSERT_EQ(t.status, ApiTarget::Status::Ok);
  EXPECT_EQ(t.appKey, "key-1");
  EXPECT_EQ(t.room, "my room");
  EXPECT_FALSE(t.start);
  EXPECT_FALSE(t.duration);
  EXPECT_FALSE(t.cred);
}

TEST(ApiTargetTest, CredentialsForm) {
  const auto t = ApiTarget::parse(
      "/api/k/room/2026-11-25T10:00:00.000Z/2?cred=vfi4SJe%2Ff%2BES%2BuHxE8bzc5%2BCs4c%3D&rand=1");
  ASSERT_EQ(t.status, ApiTarget::Status::Ok);
  EXPECT_EQ(t.start, "2026-11-25T10:00:00.000Z");
  EXPECT_EQ(t.duration, "2");
  EXPECT_EQ(t.cred, "vfi4SJe/f+ES+uHxE8bzc5+Cs4c=");
}

TEST(ApiTargetTest, UnencodedCredKeepsItsPlusSigns) {
  const auto t = ApiTarget::parse("/api/k/room/2026-11-25T10:00:00.000Z/2?rand=1&cred=ab+c/d=");
  EXPECT_EQ(t.cred, "ab+c/d=");
}

TEST(ApiTargetTest, DecodesOnlyOnce) {
  const auto t = ApiTarget::parse("/api/k/a%2520b");
  EXPECT_EQ(t.room, "a%20b");
}

TEST(ApiTargetTest, Shapes) {
  using S = ApiTarget::Status;
  const std::pair<const char*, S> cases[] = {
      {"/api/k/r", S::Ok},
      {"/api/k/", S::Ok},  // empty room: rejected later by the room-name rules
      {"/api/k/r/s/d", S::Ok},
      {"/api", S::NotFound},
      {"/api/", S::NotFound},
      {"/api/k", S::NotFound},
      {"/api//r", S::NotFound},
      {"/other/k/r", S::NotFound},
      {"/apix/k/r", S::NotFound},
      {"/api/k/a/b", S::BadSegments},
      {"/api/k/a/b/c/d", S::BadSegments},
      {"/api/k/r%2", S::BadEscape},
      {"/api/k/r%zz", S::BadEscape},
      {"/api/k/r/s/d?cred=%", S::BadEscape},
  };
  for (const auto& [target, status] : cases) {
    EXPECT_EQ(ApiTarget::parse(target).status, status) << target;
  }
  // The %2F stays inside one segment and is decoded into the name.
  EXPECT_EQ(ApiTarget::parse("/api/k/a%2Fb").room, "a/b");
}

TEST(ApiTargetTest, QueryParam) {
  EXPECT_EQ(QueryString::param("a=1&cred=x&b=2", "cred"), "x");
  EXPECT_EQ(QueryString::param("cred", "cred"), "");
  EXPECT_FALSE(QueryString::param("credx=1", "cred"));
  EXPECT_FALSE(QueryString::param("", "cred"));
}

}  // namespace
}  // namespace aerie
