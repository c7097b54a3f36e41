#include <gtest/gtest.h>

#include "admin/AdminRoute.hpp"

namespace aerie {
namespace {

using E = AdminRoute::Endpoint;

struct RouteCase {
  const char* path;
  E endpoint;
  const char* appKey;
  const char* room;
  const char* sid;
};

class AdminRouteTest : public ::testing::TestWithParam<RouteCase> {};

TEST_P(AdminRouteTest, Parse) {
  const auto& c = GetParam();
  const AdminRoute r = AdminRoute::parse(c.path);
  EXPECT_EQ(r.endpoint, c.endpoint) << c.path;
  EXPECT_EQ(r.appKey, c.appKey) << c.path;
  EXPECT_EQ(r.room, c.room) << c.path;
  EXPECT_EQ(r.sid, c.sid) << c.path;
}

INSTANTIATE_TEST_SUITE_P(
    Table, AdminRouteTest,
    ::testing::Values(
        RouteCase{"/admin/v1/openapi.json", E::OpenApi, "", "", ""},
        RouteCase{"/admin/v1/apps", E::Apps, "", "", ""},
        RouteCase{"/admin/v1/apps/", E::Apps, "", "", ""},
        RouteCase{"/admin/v1/apps/k1", E::App, "k1", "", ""},
        RouteCase{"/admin/v1/apps/k1/rotate-secret", E::RotateSecret, "k1", "", ""},
        RouteCase{"/admin/v1/apps/k1/aliases", E::Aliases, "k1", "", ""},
        RouteCase{"/admin/v1/apps/k1/rooms", E::Rooms, "k1", "", ""},
        RouteCase{"/admin/v1/apps/k1/usage", E::Usage, "k1", "", ""},
        RouteCase{"/admin/v1/apps/k1/rooms/my%20room/lock", E::RoomLock, "k1", "my room", ""},
        RouteCase{"/admin/v1/apps/k1/rooms/%C3%A9t%C3%A9/lock", E::RoomLock, "k1", "\xC3\xA9t\xC3\xA9", ""},
        RouteCase{"/admin/v1/apps/k1/peers/s-1", E::Peer, "k1", "", "s-1"},
        // Not endpoints.
        RouteCase{"/admin/v1", E::None, "", "", ""},
        RouteCase{"/admin/v1/", E::None, "", "", ""},
        RouteCase{"/admin/v10/apps", E::None, "", "", ""},
        RouteCase{"/admin/v1/app", E::None, "", "", ""},
        RouteCase{"/admin/v1//apps", E::None, "", "", ""},
        RouteCase{"/admin/v1/apps//rooms", E::None, "", "", ""},
        RouteCase{"/admin/v1/apps/k1/rooms/r", E::None, "k1", "", ""},
        RouteCase{"/admin/v1/apps/k1/rooms/r/unlock", E::None, "k1", "", ""},
        RouteCase{"/admin/v1/apps/k1/peers", E::None, "k1", "", ""},
        RouteCase{"/admin/v1/apps/k1/a/b/c/d/e/f", E::None, "", "", ""},
        RouteCase{"/admin/v1/openapi.json/x", E::None, "", "", ""},
        RouteCase{"/admin/v1/apps/%zz", E::BadEscape, "", "", ""},
        RouteCase{"/admin/v1/apps/k1/rooms/%2/lock", E::BadEscape, "", "", ""}));

TEST(AdminRouteMethods, AllowsOnlyTheListedMethods) {
  EXPECT_TRUE(AdminRoute::allows(E::Apps, "GET"));
  EXPECT_TRUE(AdminRoute::allows(E::Apps, "POST"));
  EXPECT_FALSE(AdminRoute::allows(E::Apps, "DELETE"));
  EXPECT_TRUE(AdminRoute::allows(E::App, "PATCH"));
  EXPECT_TRUE(AdminRoute::allows(E::App, "DELETE"));
  EXPECT_FALSE(AdminRoute::allows(E::App, "PUT"));
  EXPECT_FALSE(AdminRoute::allows(E::App, "GE"));
  EXPECT_FALSE(AdminRoute::allows(E::App, ""));
  EXPECT_TRUE(AdminRoute::allows(E::Peer, "DELETE"));
  EXPECT_FALSE(AdminRoute::allows(E::Peer, "GET"));
  EXPECT_FALSE(AdminRoute::allows(E::None, "GET"));
  EXPECT_EQ(AdminRoute::methods(E::RoomLock), "POST");
}

}  // namespace
}  // namespace aerie

namespace aerie {
namespace {

TEST(AdminRouteRecordings, ListOneFileAndTheirMethods) {
  using E = AdminRoute::Endpoint;
  EXPECT_EQ(AdminRoute::parse("/admin/v1/recordings").endpoint, E::Recordings);
  const auto one = AdminRoute::parse("/admin/v1/recordings/abc");
  EXPECT_EQ(one.endpoint, E::Recording);
  EXPECT_EQ(one.recording, "abc");
  const auto file = AdminRoute::parse("/admin/v1/recordings/abc/p%2E1.webm");
  EXPECT_EQ(file.endpoint, E::RecordingFile);
  EXPECT_EQ(file.file, "p.1.webm");
  EXPECT_EQ(AdminRoute::parse("/admin/v1/recordings/abc/x/y").endpoint, E::None);
  EXPECT_TRUE(AdminRoute::allows(E::Recording, "DELETE"));
  EXPECT_FALSE(AdminRoute::allows(E::RecordingFile, "DELETE"));
  EXPECT_FALSE(AdminRoute::allows(E::Recordings, "POST"));
}

}  // namespace
}  // namespace aerie
