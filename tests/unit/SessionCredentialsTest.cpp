#include <gtest/gtest.h>

#include "api/SessionCredentials.hpp"

namespace aerie {
namespace {

SessionCredentials::Session sample() {
  SessionCredentials::Session s;
  s.username = "u1";
  s.roomKey = SessionCredentials::roomKey("realm", "room");
  s.timeStamp = "2026-11-25T10:00:00.000Z";
  s.start = "2026-11-25T10:00:00.000Z";
  s.lenHours = 24;
  s.appKey = "alias";
  s.realm = "realm";
  s.roomName = "room";
  return s;
}

TEST(SessionCredentialsTest, RoomKeyIsRealmScopedAndOpaque) {
  const auto k = SessionCredentials::roomKey("realm", "room");
  EXPECT_EQ(k.size(), 22u);
  EXPECT_EQ(k, SessionCredentials::roomKey("realm", "room"));
  EXPECT_NE(k, SessionCredentials::roomKey("other", "room"));
  EXPECT_NE(k, SessionCredentials::roomKey("realm", "Room"));
  EXPECT_NE(SessionCredentials::roomKey("ab", "c"), SessionCredentials::roomKey("a", "bc"));
  EXPECT_EQ(k.find("room"), std::string::npos);
}

TEST(SessionCredentialsTest, FormatHoursLikeJavaScript) {
  EXPECT_EQ(SessionCredentials::formatHours(24), "24");
  EXPECT_EQ(SessionCredentials::formatHours(0.5), "0.5");
  EXPECT_EQ(SessionCredentials::formatHours(1.25), "1.25");
  EXPECT_EQ(SessionCredentials::formatHours(0.1), "0.1");
}

TEST(SessionCredentialsTest, RoundTrip) {
  const TokenSigner signer("k");
  const SessionCredentials c(signer);
  const auto s = sample();
  const auto user = c.userCred(s);
  const auto room = c.roomCred(s);
  EXPECT_EQ(SessionCredentials::roomNameOf(room), "room");
  EXPECT_TRUE(c.verifyUserCred(s, user));
  EXPECT_TRUE(c.verifyRoomCred(s, room));
  // One token is never accepted as the other.
  EXPECT_FALSE(c.verifyUserCred(s, room.substr(room.find('.') + 1)));
  EXPECT_FALSE(c.verifyRoomCred(s, "x." + user));

  // roomCred names the room, not the user: only userCred binds username and timeStamp.
  auto otherUser = sample();
  otherUser.username = "u2";
  EXPECT_FALSE(c.verifyUserCred(otherUser, user));
  otherUser = sample();
  otherUser.timeStamp = "2026-11-25T10:00:00.001Z";
  EXPECT_FALSE(c.verifyUserCred(otherUser, user));

  for (auto change : {+[](SessionCredentials::Session& x) { x.roomKey = "other"; },
                      +[](SessionCredentials::Session& x) { x.start = "2026-11-26T10:00:00.000Z"; },
                      +[](SessionCredentials::Session& x) { x.lenHours = 48; },
                      +[](SessionCredentials::Session& x) { x.appKey = "realm"; }}) {
    auto t = sample();
    change(t);
    EXPECT_FALSE(c.verifyUserCred(t, user));
    EXPECT_FALSE(c.verifyRoomCred(t, room));
  }
  auto other = sample();
  other.roomName = "other";
  EXPECT_FALSE(c.verifyRoomCred(other, room));
  other = sample();
  other.realm = "other";
  EXPECT_FALSE(c.verifyRoomCred(other, room));
}

TEST(SessionCredentialsTest, MalformedRoomCred) {
  EXPECT_FALSE(SessionCredentials::roomNameOf(""));
  EXPECT_FALSE(SessionCredentials::roomNameOf("nodot"));
  EXPECT_FALSE(SessionCredentials::roomNameOf(".mac"));
  EXPECT_FALSE(SessionCredentials::roomNameOf("!!.mac"));
}

}  // namespace
}  // namespace aerie
