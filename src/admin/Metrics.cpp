#include "admin/Metrics.hpp"

#include <dirent.h>
#include <sys/resource.h>
#include <unistd.h>

#include <cstdio>
#include <fstream>
#include <sstream>

#include "admin/AdminToken.hpp"
#include "storage/UsageWriter.hpp"
#include "hub/Hub.hpp"
#include "transport/HubGateway.hpp"

namespace aerie {
namespace {

// Label values come from fixed sets (message types, reasons), but escape them anyway (text
// format 0.0.4: backslash, double quote and newline).
std::string escapeLabel(std::string_view v) {
  std::string out;
  out.reserve(v.size());
  for (char c : v) {
    if (c == '\\') out += "\\\\";
    else if (c == '"') out += "\\\"";
    else if (c == '\n') out += "\\n";
    else out += c;
  }
  return out;
}

std::string number(double v, const char* format = "%.6g") {
  char buf[64];
  std::snprintf(buf, sizeof buf, format, v);
  return buf;
}

void header(std::string& out, std::string_view name, std::string_view type, std::string_view help) {
  out.append("# HELP ").append(name).append(" ").append(help).append("\n");
  out.append("# TYPE ").append(name).append(" ").append(type).append("\n");
}

void sample(std::string& out, std::string_view name, std::string_view labels, std::string_view value) {
  out.append(name);
  if (!labels.empty()) out.append("{").append(labels).append("}");
  out.append(" ").append(value).append("\n");
}

void gauge(std::string& out, std::string_view name, std::string_view help, std::uint64_t v) {
  header(out, name, "gauge", help);
  sample(out, name, {}, std::to_string(v));
}

void byLabel(std::string& out, std::string_view name, std::string_view label, std::string_view help,
             const CounterMap& counters) {
  header(out, name, "counter", help);
  for (const auto& [key, v] : counters) {
    sample(out, name, std::string(label) + "=\"" + escapeLabel(key) + "\"", std::to_string(v));
  }
}

std::string slurp(const char* path) {
  std::ifstream in(path);
  std::stringstream s;
  s << in.rdbuf();
  return s.str();
}

}  // namespace

// ---- HttpCounts -----------------------------------------------------------------------------

const char* HttpCounts::toString(Route r) {
  switch (r) {
    case Route::Api:
      return "api";
    case Route::Stats:
      return "stats";
    case Route::Admin:
      return "admin";
    case Route::Metrics:
      return "metrics";
    case Route::Health:
      return "health";
    case Route::Other:
      return "other";
  }
  return "?";
}

HttpCounts::Route HttpCounts::routeOf(std::string_view target) {
  const std::string_view path = target.substr(0, target.find('?'));
  if (path.starts_with("/api/")) return Route::Api;
  if (path.starts_with("/rest/stats")) return Route::Stats;
  if (path == "/admin" || path.starts_with("/admin/")) return Route::Admin;
  if (path == "/metrics") return Route::Metrics;
  if (path == "/health") return Route::Health;
  return Route::Other;
}

void HttpCounts::count(Route route, unsigned status) {
  counts_[static_cast<std::size_t>(route)][status < 600 ? status : 0].fetch_add(
      1, std::memory_order_relaxed);
}

std::uint64_t HttpCounts::get(Route route, unsigned status) const {
  return counts_[static_cast<std::size_t>(route)][status < 600 ? status : 0].load(
      std::memory_order_relaxed);
}

// ---- ProcessStats ---------------------------------------------------------------------------

ProcessStats ProcessStats::read() {
  ProcessStats p;
  const double tick = static_cast<double>(sysconf(_SC_CLK_TCK));
  const auto page = static_cast<std::uint64_t>(sysconf(_SC_PAGESIZE));
  // /proc/self/stat: "pid (comm) state ..." — comm may hold spaces, so parse after the last ')'.
  // Fields after it, counted from 3 (state): utime 14, stime 15, num_threads 20, starttime 22.
  const std::string stat = slurp("/proc/self/stat");
  const auto close = stat.rfind(')');
  if (close != std::string::npos) {
    std::istringstream in(stat.substr(close + 1));
    std::string field;
    unsigned long long utime = 0, stime = 0, threads = 0, start = 0;
    for (int i = 3; i <= 22 && in >> field; ++i) {
      if (i == 14) utime = std::stoull(field);
      if (i == 15) stime = std::stoull(field);
      if (i == 20) threads = std::stoull(field);
      if (i == 22) start = std::stoull(field);
    }
    p.cpuSeconds = static_cast<double>(utime + stime) / tick;
    p.threads = threads;
    // starttime is in ticks since boot; boot time is `btime` in /proc/stat.
    std::istringstream sys(slurp("/proc/stat"));
    std::string line;
    while (std::getline(sys, line)) {
      if (line.starts_with("btime ")) {
        p.startTimeSeconds = std::stod(line.substr(6)) + static_cast<double>(start) / tick;
        break;
      }
    }
  }
  // /proc/self/statm: size resident shared ... in pages.
  std::istringstream statm(slurp("/proc/self/statm"));
  std::uint64_t size = 0, resident = 0;
  if (statm >> size >> resident) {
    p.virtualBytes = size * page;
    p.residentBytes = resident * page;
  }
  if (DIR* dir = opendir("/proc/self/fd")) {
    std::uint64_t n = 0;
    while (const dirent* e = readdir(dir)) {
      if (e->d_name[0] != '.') ++n;
    }
    closedir(dir);
    p.openFds = n > 0 ? n - 1 : 0;  // minus the directory's own descriptor
  }
  rlimit limit{};
  if (getrlimit(RLIMIT_NOFILE, &limit) == 0) p.maxFds = limit.rlim_cur;
  return p;
}

// ---- Metrics --------------------------------------------------------------------------------

Metrics::Metrics(HubGateway& hub, AppStore& store) : hub_(hub), store_(store) {}

bool Metrics::isLoopback(std::string_view a) {
  if (a.starts_with("::ffff:")) a.remove_prefix(7);
  return a.starts_with("127.") || a == "::1";
}

void Metrics::handleAsync(const HttpRequestView& request, std::int64_t, HttpDone done) {
  if (request.method != "GET" && request.method != "HEAD") {
    return done(HttpReply{405, "application/json", {{"Allow", "GET, HEAD"}},
                          "{\"error\":\"method not allowed\"}"});
  }
  if (!isLoopback(request.remoteAddress) && !AdminToken::accepts(store_, request.authorization)) {
    return done(HttpReply{401, "application/json", {{"WWW-Authenticate", "Bearer"}},
                          "{\"error\":\"unauthorized\",\"info\":\"send the admin token as "
                          "'Authorization: Bearer <token>', or scrape from loopback\"}"});
  }
  hub_.gather<HubStats>([](Hub& h) { return h.stats(); },
                        [this, done = std::move(done)](std::vector<std::optional<HubStats>> perShard) {
    HubStats stats;  // the shards' counters added up
    for (const auto& shard : perShard) {
      if (!shard) return done(HttpReply{500, "application/json", {}, "{\"error\":\"internal_error\"}"});
      stats.merge(*shard);
    }
    std::string text = render(stats, http_, ProcessStats::read());
    if (usage_ != nullptr) {
      constexpr std::string_view name = "aerie_usage_records_total";
      header(text, name, "counter", "usage records (one per peer session), by what became of them");
      sample(text, name, "outcome=\"written\"", std::to_string(usage_->written()));
      sample(text, name, "outcome=\"dropped\"", std::to_string(usage_->dropped()));
      sample(text, name, "outcome=\"failed\"", std::to_string(usage_->failed()));
    }
    for (const auto& source : sources_) source(text);
    done(HttpReply{200, "text/plain; version=0.0.4; charset=utf-8", {{"Cache-Control", "no-store"}},
                   std::move(text)});
  });
}

std::string Metrics::render(const HubStats& hub, const HttpCounts& http,
                            const ProcessStats& process) {
  std::string out;
  out.reserve(8192);
  gauge(out, "aerie_connections", "socket.io connections open (joined or not)", hub.connections);
  gauge(out, "aerie_peers", "peers in a room (got inRoom and did not leave)", hub.peersInRooms);
  gauge(out, "aerie_rooms", "rooms with at least one peer", hub.rooms);
  header(out, "aerie_join_handoffs_total", "counter",
         "joins handed to the event loop of their room (rooms are spread over the loops)");
  sample(out, "aerie_join_handoffs_total", {}, std::to_string(hub.handOffs));
  gauge(out, "aerie_peers_bridged",
        "sockets here whose room is on another node (cluster mode: bridged to its owner)",
        hub.peersBridged);
  header(out, "aerie_bridges_opened_total", "counter", "joins bridged to the room's node");
  sample(out, "aerie_bridges_opened_total", {}, std::to_string(hub.bridgesOpened));
  byLabel(out, "aerie_messages_in_total", "type",
          "Skylink messages received, by type (each entry of a group counts)", hub.messagesIn);
  byLabel(out, "aerie_messages_out_total", "type",
          "Skylink messages sent, by type, one per receiver", hub.messagesOut);
  byLabel(out, "aerie_messages_dropped_total", "reason", "client messages dropped, by reason",
          hub.dropped);
  byLabel(out, "aerie_redirects_total", "reason", "redirect messages sent, by reason",
          hub.redirects);
  byLabel(out, "aerie_connections_closed_total", "reason",
          "connections the server closed itself, by reason", hub.closed);

  const std::string_view join = "aerie_join_latency_seconds";
  header(out, join, "histogram",
         "joinRoom handled to inRoom sent (the Hub's work, not the wait in its queue)");
  const auto& h = hub.joinLatency;
  for (std::size_t i = 0; i <= Histogram::kBoundsUs.size(); ++i) {
    const std::string le = i < Histogram::kBoundsUs.size()
                               ? number(static_cast<double>(Histogram::kBoundsUs[i]) / 1e6)
                               : "+Inf";
    sample(out, std::string(join) + "_bucket", "le=\"" + le + "\"",
           std::to_string(h.cumulative(i)));
  }
  sample(out, std::string(join) + "_sum", {}, number(static_cast<double>(h.sumUs()) / 1e6));
  sample(out, std::string(join) + "_count", {}, std::to_string(h.count()));

  header(out, "aerie_http_requests_total", "counter",
         "HTTP replies (API server, stats, admin, pages; not socket.io), by route and status");
  for (std::size_t r = 0; r < HttpCounts::kRoutes; ++r) {
    const auto route = static_cast<HttpCounts::Route>(r);
    for (unsigned status = 0; status < 600; ++status) {
      const std::uint64_t n = http.get(route, status);
      if (n == 0) continue;
      sample(out, "aerie_http_requests_total",
             std::string("route=\"") + HttpCounts::toString(route) + "\",status=\"" +
                 std::to_string(status) + "\"",
             std::to_string(n));
    }
  }

  header(out, "process_cpu_seconds_total", "counter", "user and system CPU time");
  sample(out, "process_cpu_seconds_total", {}, number(process.cpuSeconds, "%.2f"));
  gauge(out, "process_resident_memory_bytes", "resident set size", process.residentBytes);
  gauge(out, "process_virtual_memory_bytes", "virtual memory size", process.virtualBytes);
  gauge(out, "process_open_fds", "open file descriptors", process.openFds);
  gauge(out, "process_max_fds", "file descriptor limit (RLIMIT_NOFILE)", process.maxFds);
  gauge(out, "process_threads", "threads of the process", process.threads);
  header(out, "process_start_time_seconds", "gauge", "start time since the epoch");
  sample(out, "process_start_time_seconds", {}, number(process.startTimeSeconds, "%.2f"));
  return out;
}

// ---- CountingHttpHandler --------------------------------------------------------------------

HttpReply CountingHttpHandler::handle(const HttpRequestView& request, std::int64_t nowMs) {
  HttpReply reply = inner_.handle(request, nowMs);
  counts_.count(HttpCounts::routeOf(request.target), reply.status);
  return reply;
}

void CountingHttpHandler::handleAsync(const HttpRequestView& request, std::int64_t nowMs,
                                      HttpDone done) {
  inner_.handleAsync(request, nowMs,
                     [this, route = HttpCounts::routeOf(request.target), done = std::move(done)](HttpReply r) {
                       counts_.count(route, r.status);
                       done(std::move(r));
                     });
}

}  // namespace aerie
