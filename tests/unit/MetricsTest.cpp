// Metrics: the Prometheus text a real Hub's counters give, who may read it, the API reply
// counters, /proc/self, and the join-latency histogram. A real Hub with a granting authorizer,
// a real SqliteAppStore for the admin token, an unbound HubGateway (calls run inline).
#include <gtest/gtest.h>

#include <optional>

#include <boost/json/serialize.hpp>
#include <filesystem>
#include <sstream>

#include "admin/AdminToken.hpp"
#include "admin/Metrics.hpp"
#include "core/Crypto.hpp"
#include "core/Histogram.hpp"
#include "hub/Hub.hpp"
#include "storage/SqliteAppStore.hpp"
#include "transport/HubGateway.hpp"

namespace aerie {
namespace {

namespace fs = std::filesystem;
namespace json = boost::json;

constexpr std::int64_t kNow = 1795600800000;

class Sink : public PeerSink {
 public:
  void send(std::shared_ptr<const std::string> packet) override { packets.push_back(*packet); }
  void close() override {}
  std::vector<std::string> packets;
};

class Grant : public JoinAuthorizer {
 public:
  JoinGrant authorize(const json::object& join, std::int64_t) override {
    JoinGrant g;
    g.ok = true;
    g.realm = "realm";
    g.roomName = "room";
    g.appKey = "key";
    g.roomKey = std::string(join.at("rid").as_string());
    return g;
  }
};

class Inner : public HttpHandler {
 public:
  HttpReply handle(const HttpRequestView& r, std::int64_t) override {
    return HttpReply{r.target.starts_with("/api/bad") ? 401u : 200u, "application/json", {}, "{}"};
  }
};

// The value of the sample line `name{labels} value` (or `name value`), or -1.
double sampleValue(const std::string& text, const std::string& series) {
  std::istringstream in(text);
  std::string line;
  while (std::getline(in, line)) {
    if (line.rfind(series + " ", 0) == 0) return std::stod(line.substr(series.size() + 1));
  }
  return -1;
}

class MetricsTest : public ::testing::Test {
 protected:
  MetricsTest()
      : dir_(fs::temp_directory_path() / ("aerie-metrics-" + crypto::randomToken(8))),
        store_(SqliteAppStore::openInDir(dir_.string())),
        hub_(limits_, grant_),
        gateway_(hub_),
        metrics_(gateway_, *store_) {
    bool created = false;
    token_ = AdminToken::ensure(*store_, created);
  }
  ~MetricsTest() override { fs::remove_all(dir_); }

  Hub::ConnId join(const std::string& rid, const std::shared_ptr<Sink>& sink) {
    const auto id = hub_.connect(sink, kNow);
    hub_.onMessage(id, R"({"type":"joinRoom","rid":")" + rid + R"("})", kNow);
    return id;
  }
  // The unbound gateway answers at once, so the reply is there when handleAsync returns.
  HttpReply handle(const HttpRequestView& r) {
    std::optional<HttpReply> reply;
    metrics_.handleAsync(r, kNow, [&reply](HttpReply x) { reply = std::move(x); });
    EXPECT_TRUE(reply.has_value());
    return reply.value_or(HttpReply{});
  }
  HttpReply get(std::string remote, std::string authorization = {}) {
    HttpRequestView r;
    r.method = "GET";
    r.target = "/metrics";
    r.remoteAddress = std::move(remote);
    r.authorization = std::move(authorization);
    return handle(r);
  }

  fs::path dir_;
  Limits limits_;
  std::unique_ptr<SqliteAppStore> store_;
  Grant grant_;
  Hub hub_;
  HubGateway gateway_;
  Metrics metrics_;
  std::string token_;
};

TEST_F(MetricsTest, ExposesHubCountersAndGauges) {
  auto a = std::make_shared<Sink>();
  auto b = std::make_shared<Sink>();
  auto c = std::make_shared<Sink>();
  const auto ida = join("r1", a);
  const auto idb = join("r1", b);
  join("r2", c);
  hub_.onMessage(idb, R"({"type":"enter","mid":"x","rid":"y"})", kNow);
  hub_.onMessage(ida, "not json", kNow);
  hub_.countUnusableEvent(DropReason::OtherEvent);
  hub_.countUnusableEvent(DropReason::BadEventArgument);

  const HttpReply reply = get("127.0.0.1");
  ASSERT_EQ(reply.status, 200u);
  EXPECT_EQ(reply.contentType, "text/plain; version=0.0.4; charset=utf-8");
  const std::string& t = reply.body;
  EXPECT_EQ(sampleValue(t, "aerie_connections"), 3);
  EXPECT_EQ(sampleValue(t, "aerie_peers"), 3);
  EXPECT_EQ(sampleValue(t, "aerie_rooms"), 2);
  EXPECT_EQ(sampleValue(t, R"(aerie_messages_in_total{type="joinRoom"})"), 3);
  EXPECT_EQ(sampleValue(t, R"(aerie_messages_in_total{type="enter"})"), 1);
  EXPECT_EQ(sampleValue(t, R"(aerie_messages_out_total{type="inRoom"})"), 3);
  EXPECT_EQ(sampleValue(t, R"(aerie_messages_out_total{type="enter"})"), 1);  // to a only
  EXPECT_EQ(sampleValue(t, R"(aerie_messages_dropped_total{reason="malformed"})"), 1);
  EXPECT_EQ(sampleValue(t, R"(aerie_messages_dropped_total{reason="otherEvent"})"), 1);
  EXPECT_EQ(sampleValue(t, R"(aerie_messages_dropped_total{reason="badEventArgument"})"), 1);
  EXPECT_EQ(sampleValue(t, "aerie_join_latency_seconds_count"), 3);
  EXPECT_EQ(sampleValue(t, R"(aerie_join_latency_seconds_bucket{le="+Inf"})"), 3);
  EXPECT_NE(t.find("# TYPE aerie_join_latency_seconds histogram\n"), std::string::npos);
  EXPECT_NE(t.find("# TYPE aerie_messages_in_total counter\n"), std::string::npos);
  EXPECT_GT(sampleValue(t, "process_resident_memory_bytes"), 0);
  EXPECT_GE(sampleValue(t, "process_cpu_seconds_total"), 0);
  EXPECT_GT(sampleValue(t, "process_open_fds"), 0);
  EXPECT_GT(sampleValue(t, "process_start_time_seconds"), 1.6e9);
}

TEST_F(MetricsTest, CountsRedirectsByReason) {
  auto a = std::make_shared<Sink>();
  const auto ida = join("r1", a);
  hub_.onMessage(ida, R"({"type":"roomLockEvent","lock":true})", kNow);
  join("r1", std::make_shared<Sink>());  // locked: redirect reject `locked`
  EXPECT_EQ(sampleValue(get("127.0.0.1").body, R"(aerie_redirects_total{reason="locked"})"), 1);
}

TEST_F(MetricsTest, LoopbackReadsWithoutTokenOthersNeedTheAdminToken) {
  EXPECT_EQ(get("127.0.0.1").status, 200u);
  EXPECT_EQ(get("127.3.2.1").status, 200u);
  EXPECT_EQ(get("::1").status, 200u);
  EXPECT_EQ(get("::ffff:127.0.0.1").status, 200u);
  EXPECT_EQ(get("192.0.2.7").status, 401u);
  EXPECT_EQ(get("2001:db8::1").status, 401u);
  EXPECT_EQ(get("").status, 401u);
  EXPECT_EQ(get("192.0.2.7", "Bearer wrong").status, 401u);
  EXPECT_EQ(get("192.0.2.7", "Bearer " + token_).status, 200u);
}

TEST_F(MetricsTest, OnlyGetAndHead) {
  HttpRequestView r;
  r.method = "POST";
  r.target = "/metrics";
  r.remoteAddress = "127.0.0.1";
  EXPECT_EQ(handle(r).status, 405u);
}

TEST_F(MetricsTest, CountsHttpRepliesByRouteAndStatus) {
  Inner inner;
  CountingHttpHandler counting(inner, metrics_.http());
  HttpRequestView r;
  r.method = "GET";
  for (const char* target : {"/api/key/room?rand=1", "/api/key/room", "/api/bad/room", "/health",
                             "/rest/stats/client", "/admin/v1/apps", "/x.html"}) {
    r.target = target;
    counting.handle(r, kNow);
  }
  const std::string t = get("127.0.0.1").body;
  EXPECT_EQ(sampleValue(t, R"(aerie_http_requests_total{route="api",status="200"})"), 2);
  EXPECT_EQ(sampleValue(t, R"(aerie_http_requests_total{route="api",status="401"})"), 1);
  EXPECT_EQ(sampleValue(t, R"(aerie_http_requests_total{route="health",status="200"})"), 1);
  EXPECT_EQ(sampleValue(t, R"(aerie_http_requests_total{route="stats",status="200"})"), 1);
  EXPECT_EQ(sampleValue(t, R"(aerie_http_requests_total{route="admin",status="200"})"), 1);
  EXPECT_EQ(sampleValue(t, R"(aerie_http_requests_total{route="other",status="200"})"), 1);
  EXPECT_EQ(sampleValue(t, R"(aerie_http_requests_total{route="api",status="404"})"), -1);
}

TEST(HistogramTest, BucketsAreCumulativeAndInclusive) {
  Histogram h;
  h.observeUs(0);
  h.observeUs(50);       // le 50 µs (inclusive)
  h.observeUs(51);       // le 100 µs
  h.observeUs(5000);     // le 5 ms
  h.observeUs(2000000);  // +Inf
  EXPECT_EQ(h.cumulative(0), 2u);
  EXPECT_EQ(h.cumulative(1), 3u);
  EXPECT_EQ(h.cumulative(6), 4u);  // kBoundsUs[6] == 5000
  EXPECT_EQ(h.cumulative(Histogram::kBoundsUs.size() - 1), 4u);
  EXPECT_EQ(h.cumulative(Histogram::kBoundsUs.size()), 5u);
  EXPECT_EQ(h.count(), 5u);
  EXPECT_EQ(h.sumUs(), 2005101u);
}

TEST(ProcessStatsTest, ReadsThisProcess) {
  const ProcessStats p = ProcessStats::read();
  EXPECT_GT(p.residentBytes, 1u << 20);
  EXPECT_GE(p.virtualBytes, p.residentBytes);
  EXPECT_GE(p.threads, 1u);
  EXPECT_GT(p.openFds, 2u);
  EXPECT_GT(p.maxFds, p.openFds);
}

TEST(MetricsRenderTest, EscapesLabelValues) {
  HubStats s;
  s.messagesIn["a\"b\\c\nd"] = 1;
  const std::string t = Metrics::render(s, HttpCounts{}, ProcessStats{});
  EXPECT_NE(t.find(R"(aerie_messages_in_total{type="a\"b\\c\nd"} 1)"), std::string::npos);
}

}  // namespace
}  // namespace aerie
