#include "app/Cli.hpp"

#include <boost/json/object.hpp>
#include <boost/json/serialize.hpp>

#include <chrono>
#include <filesystem>
#include <thread>
#include <iostream>
#include <stdexcept>

#include "admin/AdminApi.hpp"
#include "admin/AdminToken.hpp"
#include "app/AppRouter.hpp"
#include "app/Config.hpp"
#include "admin/Metrics.hpp"
#include "app/StoreCommands.hpp"
#include "app/StoreOpener.hpp"
#include "admin/AppChangeRelay.hpp"
#include "core/Crypto.hpp"
#include "admin/UsageRecorder.hpp"
#include "app/AssetPaths.hpp"
#include "app/ClusterAdmin.hpp"
#include "app/ClusterBinding.hpp"
#include "cluster/ClusterNode.hpp"
#include "cluster/RedisClient.hpp"
#include "storage/UsageWriter.hpp"
#include "core/Clock.hpp"
#include "core/Log.hpp"
#include "api/ApiService.hpp"
#include "api/CredentialJoinAuthorizer.hpp"
#include "hub/Hub.hpp"
#include "record/RecordingCatalog.hpp"
#include "sfu/McuPeer.hpp"
#include "sfu/ShardMedia.hpp"
#include "api/TokenSigner.hpp"
#include "storage/CachingAppStore.hpp"
#include "storage/PgAppChanges.hpp"
#include "transport/BridgeClient.hpp"
#include "transport/HttpFetch.hpp"
#include "transport/HubGateway.hpp"
#include "tls/SelfSignedCertificate.hpp"
#include "transport/Server.hpp"

#ifndef AERIE_DEFAULT_WEB_ROOT
#define AERIE_DEFAULT_WEB_ROOT ""
#endif

namespace aerie {

void Cli::usage() {
  std::cout << "usage:\n"
               "  aerie serve [--listen HOST:PORT] [--data DIR] [--store postgresql://...]\n"
               "              [--config FILE] [--threads N]\n"
               "              [--tls on|off] [--tls-cert PEM --tls-key PEM] [--tls-redirect on]\n"
               "              [--public-host NAME] [--public-port PORT]\n"
               "              [--redis HOST:PORT --node-id ID [--redis-user U] [--redis-password P]]\n"
               "              [--redis-tls on [--redis-ca PEM] [--redis-cert PEM --redis-key PEM]\n"
               "                              [--redis-server-name NAME]]\n"
               "              [--turn-host HOST] [--public-ip IP] [--turn-secret S] [--turn-ttl SECONDS]\n"
               "              [--turn-tls-port PORT] [--stun HOST:PORT|off] [--site-key KEY]\n"
               "              [--media-port PORT|off] [--media-public-ip IP]\n"
               "              [--limit NAME=NUMBER ...]  (every bound of src/core/Limits.hpp)\n"
               "              [--log-level debug|info|warn|error]\n"
            << StoreCommands::usage()
            << "  aerie version\n"
               "Every option can also come from a JSON config file (--config) or an AERIE_<OPTION>\n"
               "environment variable (e.g. AERIE_LISTEN=127.0.0.1:8080).\n";
}

int Cli::run(const std::vector<std::string>& args) {
  try {
    if (args.empty() || args[0] == "help" || args[0] == "--help" || args[0] == "-h") {
      usage();
      return args.empty() ? 2 : 0;
    }
    std::vector<std::string> rest(args.begin() + 1, args.end());
    if (args[0] == "serve") return serve(rest);
    if (args[0] == "app") return StoreCommands::app(rest);
    if (args[0] == "alias") return StoreCommands::alias(rest);
    if (args[0] == "token") return StoreCommands::token(rest);
    if (args[0] == "version" || args[0] == "--version") {
      std::cout << "aerie 0.1.0\n";
      return 0;
    }
    std::cerr << "aerie: unknown command '" << args[0] << "'\n";
    usage();
    return 2;
  } catch (const std::exception& e) {
    std::cerr << "aerie: " << e.what() << "\n";
    return 1;
  }
}

int Cli::serve(const std::vector<std::string>& args) {
  Config config = Config::load(args);
  log::Level level;
  if (!log::parseLevel(config.logLevel, level)) throw std::runtime_error("bad log level " + config.logLevel);
  log::setLevel(level);

  auto store = StoreOpener::open(config);
  // Nodes sharing a store that start at once on an empty one: only the first makes the key.
  const std::string devClaim = crypto::randomToken(16);
  if (store->list().empty() && store->settingOrInsert("development_key_claim", devClaim) == devClaim) {
    NewApp dev;
    dev.name = "development";
    dev.owner = "development";
    dev.domains = {"localhost", "127.0.0.1"};
    App app = store->create(dev, nowMs());
    std::cout << "Created a development app key (first start): " << app.appKey << "\n"
              << "  secret (shown once, signs room credentials): " << app.secret << "\n";
  }
  bool newToken = false;
  if (!config.adminToken.empty()) {
    // A token from the config (file or AERIE_ADMIN_TOKEN) replaces the stored one.
    if (config.adminToken.size() < 32) throw std::runtime_error("admin-token must have at least 32 characters");
    store->setSetting("admin_token", config.adminToken);
  }
  const std::string adminToken = AdminToken::ensure(*store, newToken);
  if (newToken) {
    std::cout << "Created the admin token (first start; `aerie token " << StoreOpener::describe(config)
              << "` shows it again):\n"
              << "  " << adminToken << "\n";
  }

  ServerOptions options;
  options.host = config.listenHost;
  options.port = config.listenPort;
  options.threads = config.threads;
  if (config.stun == "off") {
    options.stunPort = 0;
  } else {
    Config stunAddress;
    stunAddress.setListen(config.stun);
    options.stunHost = stunAddress.listenHost;
    options.stunPort = stunAddress.listenPort;
  }
  if (config.tlsEnabled) {
    options.certFile = config.tlsCert;
    options.keyFile = config.tlsKey;
    options.redirectToHttps = config.tlsRedirect;
    if (options.certFile.empty() != options.keyFile.empty()) throw std::runtime_error("give both --tls-cert and --tls-key");
    if (options.certFile.empty()) {
      auto dir = std::filesystem::path(config.dataDir) / "tls";
      options.certFile = (dir / "cert.pem").string();
      options.keyFile = (dir / "key.pem").string();
      if (SelfSignedCertificate::ensure(options.certFile, options.keyFile, {"localhost"}, {"127.0.0.1", "::1"})) {
        std::cout << "Generated a self-signed development certificate: " << options.certFile << "\n";
      }
    }
  }

  // Lookups of app keys go through a short-lived cache (Limits::appCacheMs).
  CachingAppStore appStore(*store, config.limits.appCacheMs, config.limits.appCacheEntries);
  TokenSigner signer = TokenSigner::fromStore(appStore);
  ApiConfig api;
  api.signalingHost = config.publicHost;
  // Addresses handed to peers come from the config, never from a request (issue: NAT).
  api.iceHost = !config.iceHost.empty()    ? config.iceHost
                : !config.publicIp.empty() ? config.publicIp
                : (config.listenHost == "0.0.0.0" || config.listenHost == "::") ? "127.0.0.1"
                                                                                : config.listenHost;
  api.turnTlsPort = config.turnTlsPort;
  api.turnSecret = config.turnSecret;
  api.turnTtlSeconds = config.turnTtlSeconds;
  ApiService apiService(appStore, signer, api, config.limits);
  CredentialJoinAuthorizer authorizer(appStore, signer, api, config.limits);
  // One Hub shard per event loop: a room lives on the loop shardOf(room) names.
  const unsigned shardCount = options.threads == 0 ? 1 : options.threads;
  std::vector<std::unique_ptr<Hub>> hubs;
  std::vector<Hub*> shards;
  UsageWriter usageWriter(appStore, config.limits.maxPendingUsageRecords);  // the storage worker
  UsageRecorder usageRecorder(usageWriter);
  // Cluster mode: joins, peer counts and API replies go through the registry (ClusterBinding).
  std::unique_ptr<ClusterBinding> cluster;
  if (!config.redis.empty()) cluster = std::make_unique<ClusterBinding>(authorizer, &usageRecorder);
  JoinAuthorizer& joinAuthorizer = cluster ? static_cast<JoinAuthorizer&>(*cluster) : authorizer;
  HubListener& hubListener = cluster ? static_cast<HubListener&>(*cluster) : usageRecorder;
  for (unsigned i = 0; i < shardCount; ++i) {
    hubs.push_back(std::make_unique<Hub>(config.limits, joinAuthorizer, ShardPlan{i, shardCount}));
    hubs.back()->setListener(&hubListener);
    shards.push_back(hubs.back().get());
  }
  HubGateway gateway(shards);
  AdminApi adminApi(appStore, gateway, config.limits);
  // Recordings of SFU rooms: <data dir>/recordings/<id>/<publisher>.webm.
  RecordingCatalog recordings((std::filesystem::path(config.dataDir) / "recordings").string(),
                              config.limits.maxConcurrentRecordings);
  adminApi.setRecordings(&recordings);
  const std::string webRoot =
      AssetPaths::webRoot(config.webRoot, AssetPaths::executable(), AERIE_DEFAULT_WEB_ROOT);
  std::vector<AppRouter::Mount> mounts;
  if (webRoot.empty()) {
    log::warn("server", "no web root: pages, the library and the app are not served (--web-root DIR)");
  } else {
    log::info("server", "pages", {{"webRoot", webRoot}});
    // The browser library's build (client/dist), the npm SkylinkJS for the demo, the pages.
    mounts.push_back({"/skylink", StaticFiles(webRoot + "/../client/dist")});
    mounts.push_back({"/vendor/skylinkjs/", StaticFiles(webRoot + "/../node_modules/skylinkjs/publish")});
    // Where a socket.io server serves its client: SkylinkJS 0.9.x's npm build leaves socket.io
    // out and needs 1.x loaded first (docs/protocol.md).
    mounts.push_back({"/socket.io/socket.io.js", StaticFiles(webRoot + "/../node_modules/socket.io-client")});
    // The conferencing app's build (webapp/dist) first: its index.html is the landing page.
    mounts.push_back({"", StaticFiles(webRoot + "/../webapp/dist")});
    mounts.push_back({"", StaticFiles(webRoot)});
  }
  Metrics metrics(gateway, appStore);  // GET /metrics; see Metrics.hpp for who may read it
  metrics.setUsageWriter(&usageWriter);
  AppRouter router(apiService, adminApi, std::move(mounts),
                   [&metrics](const HttpRequestView& r, std::int64_t now, HttpDone done) {
                     metrics.handleAsync(r, now, std::move(done));
                   });
  // The conferencing app (webapp/) learns which key to use here: the one set with --site-key,
  // else the development key. App keys are public by design; their domains protect them.
  {
    std::string siteKey = config.siteKey;
    if (siteKey.empty()) {
      for (const auto& a : store->list()) {
        if (a.name == "development" && !a.revoked && !a.parentKey) siteKey = a.appKey;
      }
    }
    boost::json::object appConfig;
    appConfig["appKey"] = siteKey;
    appConfig["roomServer"] = "";
    router.addFixed("/app-config.json",
                    HttpReply{200, "application/json", {{"Cache-Control", "no-cache"}},
                              boost::json::serialize(appConfig)});
  }

  CountingHttpHandler countedRouter(router, metrics.http());  // API replies by status, for /metrics
  Server server(options, config.limits, shards, countedRouter, gateway);
  server.bind();
  // On a shared store, other nodes' key changes reach this node's cache and rooms (a revoked
  // key's peers leave here too). The gateway is bound to the loops now.
  AppChangeRelay changeRelay(appStore, gateway);
  std::unique_ptr<PgAppChanges> storeChanges;
  if (!config.store.empty()) {
    storeChanges = std::make_unique<PgAppChanges>(
        config.store,
        PgAppChanges::Options{config.limits.storeConnectTimeoutMs, config.limits.storeReconnectMs,
                              config.limits.storeCheckMs},
        changeRelay);
    storeChanges->start();
  }
  // The media plane of SFU rooms: per shard, a UDP socket on the shard's loop and the server
  // peer ("MCU") that negotiates with the clients.
  std::vector<std::unique_ptr<ShardMedia>> media;
  std::vector<std::unique_ptr<McuPeer>> mcuPeers;
  if (config.mediaEnabled) {
    MediaOptions mediaOptions;
    mediaOptions.listenHost = config.listenHost;
    mediaOptions.basePort = config.mediaPort;
    mediaOptions.publicAddress = !config.mediaPublicIp.empty() ? config.mediaPublicIp
                                 : !config.publicIp.empty()   ? config.publicIp
                                                              : (config.listenHost == "0.0.0.0" || config.listenHost == "::") ? "127.0.0.1" : config.listenHost;
    for (unsigned i = 0; i < shardCount; ++i) {
      media.push_back(std::make_unique<ShardMedia>(server.loop(i), i, mediaOptions, config.limits));
      media.back()->start();
      mcuPeers.push_back(std::make_unique<McuPeer>(*media.back(), config.limits));
      mcuPeers.back()->setRecordings(&recordings);
      hubs[i]->setServerPeer(mcuPeers.back().get());
    }
    log::info("media", "listening", {{"port", std::to_string(media.front()->port())}, {"loops", std::to_string(shardCount)}});
    std::vector<const ShardMedia*> shards;
    for (const auto& m : media) shards.push_back(m.get());
    metrics.addSource([shards](std::string& out) { ShardMedia::render(shards, out); });
  }
  // The actual port (with --listen HOST:0) goes into the API reply's port lists.
  // ApiService reads `api` by reference; the loops have not started yet.
  api.httpPorts = {server.port()};
  if (!options.certFile.empty()) api.httpsPorts = {server.port()};
  std::string url = "http://" + (config.listenHost.find(':') != std::string::npos ? "[" + config.listenHost + "]" : config.listenHost) +
                    ":" + std::to_string(server.port());
  std::cout << "aerie listening on " << url << (options.certFile.empty() ? "" : " (HTTP and HTTPS on one port)") << "\n";
  for (const auto& a : store->list()) {
    if (a.name == "development" && !a.revoked) std::cout << "Demo page: " << url << "/demo?key=" << a.appKey << "\n";
  }
  std::unique_ptr<RedisClient> redis;
  std::unique_ptr<ClusterNode> clusterNode;
  std::unique_ptr<BridgeClient> bridges;
  std::unique_ptr<HttpFetch> nodeHttp;
  std::unique_ptr<ClusterAdmin> clusterAdmin;
  if (cluster) {
    // Joins for rooms another node owns are bridged there (docs/cluster.md, "Bridging").
    bridges = std::make_unique<BridgeClient>(server, config.limits);
    for (auto& hub : hubs) hub->setBridgeOpener(bridges.get());
    RedisClient::Options ro;
    const auto colon = config.redis.rfind(':');
    ro.host = config.redis.substr(0, colon);
    if (ro.host.size() > 2 && ro.host.front() == '[') ro.host = ro.host.substr(1, ro.host.size() - 2);
    ro.port = static_cast<std::uint16_t>(std::stoul(config.redis.substr(colon + 1)));
    ro.user = config.redisUser;
    ro.password = config.redisPassword;
    ro.connectTimeoutMs = config.limits.redisConnectTimeoutMs;
    ro.commandTimeoutMs = config.limits.redisCommandTimeoutMs;
    ro.reconnectMinMs = config.limits.redisReconnectMinMs;
    ro.reconnectMaxMs = config.limits.redisReconnectMaxMs;
    ro.maxReplyBytes = config.limits.maxRedisReplyBytes;
    ro.tls.enabled = config.redisTls;
    ro.tls.caFile = config.redisCa;
    ro.tls.certFile = config.redisCert;
    ro.tls.keyFile = config.redisKey;
    ro.tls.serverName = config.redisServerName;
    redis = std::make_unique<RedisClient>(ro);
    ClusterOptions co;
    co.nodeId = config.nodeId;
    const bool wildcard = config.listenHost == "0.0.0.0" || config.listenHost == "::";
    co.publicHost = config.publicHost;
    if (co.publicHost.empty()) {
      if (wildcard) throw std::runtime_error("cluster mode needs --public-host when listening on every address");
      co.publicHost = config.listenHost.find(':') != std::string::npos ? "[" + config.listenHost + "]" : config.listenHost;
    }
    co.publicPort = config.publicPort != 0 ? config.publicPort : server.port();
    co.aliveTtlMs = config.limits.nodeAliveTtlMs;
    co.heartbeatMs = config.limits.nodeHeartbeatMs;
    co.roomTtlMs = config.limits.roomClaimTtlMs;
    co.roomRefreshMs = config.limits.roomRefreshMs;
    clusterNode = std::make_unique<ClusterNode>(*redis, co);
    cluster->attach(*clusterNode, gateway);
    apiService.setPlacer(cluster.get());
    // The admin API's room lists cover every node (docs/cluster.md, "Admin across nodes").
    nodeHttp = std::make_unique<HttpFetch>(server);
    clusterAdmin = std::make_unique<ClusterAdmin>(*clusterNode, *nodeHttp, config.limits.adminFanOutTimeoutMs,
                                                  config.limits.maxFanOutReplyBytes);
    adminApi.setCluster(clusterAdmin.get());
    metrics.addSource([node = clusterNode.get()](std::string& out) { node->render(out); });
    server.onShutdown([node = clusterNode.get()] { node->drain(); });
    clusterNode->start();
    // Serve at once either way (a node without Redis still serves its rooms), but give the
    // first connection its chance, so a node that starts with the cluster is placeable.
    for (std::uint32_t waited = 0; redis->state() != RedisClient::State::Ready && waited < config.limits.redisConnectTimeoutMs;
         waited += 10) {
      std::this_thread::sleep_for(std::chrono::milliseconds(10));
    }
    if (redis->state() != RedisClient::State::Ready) {
      log::warn("cluster", "registry not reachable yet: new rooms are refused until it is", {{"error", redis->lastError()}});
    }
    log::info("cluster", "node", {{"id", co.nodeId}, {"public", co.publicHost + ":" + std::to_string(co.publicPort)},
                                  {"redis", config.redis + (config.redisTls ? " (TLS)" : "")}});
  }
  std::cout << "Developer console: " << url << "/console\n";
  std::cout.flush();
  log::info("server", "listening", {{"url", url}, {"store", StoreOpener::describe(config)}});
  server.run();
  if (redis) redis->stop();
  if (storeChanges) storeChanges->stop();
  // The loops have stopped: nobody else touches the Hub or the recorder now.
  usageRecorder.flush(nowMs());
  for (auto& hub : hubs) {
    hub->setListener(nullptr);
    hub->setServerPeer(nullptr);
  }
  usageWriter.stop();  // writes what is still queued
  log::info("server", "stopped");
  return 0;
}

}  // namespace aerie
