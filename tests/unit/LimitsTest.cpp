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

// Cluster mode: a node key outlives a late heartbeat or two, and a room key outlives a missed
// refresh; the reconnect back-off grows from its floor. (RedisClientTest runs the registry
// with these shortened.)
TEST(Limits, ClusterTimersLeaveRoomForAMissedBeat) {
  Limits l;
  EXPECT_GE(l.nodeAliveTtlMs, 2 * l.nodeHeartbeatMs);
  EXPECT_GE(l.roomClaimTtlMs, 2 * l.roomRefreshMs);
  EXPECT_LE(l.redisReconnectMinMs, l.redisReconnectMaxMs);
  // Failover target (issue 17): a dead owner's rooms move within 5 s.
  EXPECT_LE(l.nodeAliveTtlMs + l.redisReconnectMaxMs, 5000u);
  EXPECT_GE(l.maxRedisReplyBytes, 64u * 1024);
  EXPECT_TRUE(l.set("node-alive-ttl-ms", "5000"));
  EXPECT_EQ(l.nodeAliveTtlMs, 5000u);
  EXPECT_TRUE(l.set("max-redis-reply-bytes", "65536"));
  EXPECT_EQ(l.maxRedisReplyBytes, 65536u);
}

// A bridge to the room's owner must be up well before the client gives up on its joinRoom
// (SkylinkJS waits 20 s), and within the failover target, so a dead owner is noticed in time.
TEST(Limits, BridgeConnectsWithinTheFailoverTarget) {
  Limits l;
  EXPECT_GE(l.bridgeConnectTimeoutMs, 500u);
  EXPECT_LE(l.bridgeConnectTimeoutMs, 5000u);
  EXPECT_TRUE(l.set("bridge-connect-timeout-ms", "750"));
  EXPECT_EQ(l.bridgeConnectTimeoutMs, 750u);
}

// Admin lists across the cluster: a node that does not answer costs at most about a second,
// and a node's part of a few thousand peers fits.
TEST(Limits, AdminFanOutIsBoundedInTimeAndSize) {
  Limits l;
  EXPECT_LE(l.adminFanOutTimeoutMs, 5000u);
  EXPECT_GE(l.adminFanOutTimeoutMs, 100u);
  EXPECT_GE(l.maxFanOutReplyBytes, 64u * 1024 * 10);
  EXPECT_TRUE(l.set("admin-fan-out-timeout-ms", "250"));
  EXPECT_EQ(l.adminFanOutTimeoutMs, 250u);
  EXPECT_TRUE(l.set("max-fan-out-reply-bytes", "1048576"));
  EXPECT_EQ(l.maxFanOutReplyBytes, 1048576u);
}
