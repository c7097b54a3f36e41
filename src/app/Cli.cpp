#include "app/Cli.hpp"

#include <boost/json/array.hpp>
#include <boost/json/object.hpp>
#include <boost/json/serialize.hpp>
#include <filesystem>
#include <iostream>
#include <stdexcept>

#include "app/AppRouter.hpp"
#include "app/Config.hpp"
#include "core/Clock.hpp"
#include "core/Log.hpp"
#include "signaling/ApiService.hpp"
#include "signaling/CredentialJoinAuthorizer.hpp"
#include "signaling/Hub.hpp"
#include "signaling/TokenSigner.hpp"
#include "storage/SqliteAppStore.hpp"
#include "transport/HubGateway.hpp"
#include "transport/SelfSignedCertificate.hpp"
#include "transport/Server.hpp"

#ifndef AERIE_DEFAULT_WEB_ROOT
#define AERIE_DEFAULT_WEB_ROOT ""
#endif

namespace aerie {
namespace {

boost::json::object describe(const App& app, bool withSecret) {
  boost::json::object o;
  o["appKey"] = app.appKey;
  if (withSecret) o["secret"] = app.secret;
  o["name"] = app.name;
  o["owner"] = app.owner;
  boost::json::array domains;
  for (const auto& d : app.domains) domains.emplace_back(d);
  o["domains"] = std::move(domains);
  if (app.parentKey) o["parentKey"] = *app.parentKey;
  o["revoked"] = app.revoked;
  o["maxPeersPerRoom"] = app.maxPeersPerRoom;
  return o;
}

// Splits the app subcommand's own flags from the config flags (--data, --config, ...).
struct AppFlags {
  std::string name, owner, parent;
  std::vector<std::string> domains;
  std::uint32_t maxPeers = 0;
  std::vector<std::string> positional;
  std::vector<std::string> configArgs;
};

AppFlags parseAppFlags(const std::vector<std::string>& args) {
  AppFlags f;
  for (std::size_t i = 0; i < args.size(); ++i) {
    const auto& a = args[i];
    auto value = [&]() -> std::string {
      if (i + 1 >= args.size()) throw std::runtime_error("option " + a + " needs a value");
      return args[++i];
    };
    if (a == "--name") f.name = value();
    else if (a == "--owner") f.owner = value();
    else if (a == "--domain") f.domains.push_back(value());
    else if (a == "--parent") f.parent = value();
    else if (a == "--max-peers") f.maxPeers = static_cast<std::uint32_t>(std::stoul(value()));
    else if (a.rfind("--", 0) == 0) {
      f.configArgs.push_back(a);
      if (a.find('=') == std::string::npos) f.configArgs.push_back(value());
    } else {
      f.positional.push_back(a);
    }
  }
  return f;
}

}  // namespace

void Cli::usage() {
  std::cout << "usage:\n"
               "  aerie serve [--listen HOST:PORT] [--data DIR] [--config FILE] [--threads N]\n"
               "              [--tls on|off] [--tls-cert PEM --tls-key PEM] [--public-host NAME]\n"
               "              [--ice-host HOST] [--turn-secret S] [--log-level debug|info|warn|error]\n"
               "  aerie app create --data DIR --name NAME --domain DOMAIN [--domain ...] [--owner O]\n"
               "                   [--max-peers N] [--parent KEY]   (prints the app as JSON)\n"
               "  aerie app list --data DIR\n"
               "  aerie app revoke --data DIR KEY\n"
               "  aerie version\n"
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
    if (args[0] == "app") return app(rest);
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

int Cli::app(const std::vector<std::string>& args) {
  if (args.empty()) throw std::runtime_error("app: expected create, list or revoke");
  std::string sub = args[0];
  AppFlags f = parseAppFlags({args.begin() + 1, args.end()});
  Config config = Config::load(f.configArgs);
  auto store = SqliteAppStore::openInDir(config.dataDir);
  if (sub == "create") {
    if (f.name.empty()) throw std::runtime_error("app create: --name is required");
    if (f.domains.empty() && f.parent.empty()) throw std::runtime_error("app create: at least one --domain is required");
    NewApp n;
    n.name = f.name;
    n.owner = f.owner.empty() ? f.name : f.owner;
    n.domains = f.domains;
    n.maxPeersPerRoom = f.maxPeers;
    if (!f.parent.empty()) n.parentKey = f.parent;
    App app = store->create(n, nowMs());
    std::cout << boost::json::serialize(describe(app, true)) << "\n";
    return 0;
  }
  if (sub == "list") {
    boost::json::array out;
    for (const auto& a : store->list()) out.push_back(describe(a, false));
    std::cout << boost::json::serialize(out) << "\n";
    return 0;
  }
  if (sub == "revoke") {
    if (f.positional.size() != 1) throw std::runtime_error("app revoke: give exactly one app key");
    if (!store->revoke(f.positional[0])) {
      std::cerr << "aerie: no such app key\n";
      return 1;
    }
    std::cout << "{\"revoked\":\"" << f.positional[0] << "\"}\n";
    return 0;
  }
  throw std::runtime_error("app: unknown subcommand '" + sub + "'");
}

int Cli::serve(const std::vector<std::string>& args) {
  Config config = Config::load(args);
  log::Level level;
  if (!log::parseLevel(config.logLevel, level)) throw std::runtime_error("bad log level " + config.logLevel);
  log::setLevel(level);

  auto store = SqliteAppStore::openInDir(config.dataDir);
  if (store->list().empty()) {
    NewApp dev;
    dev.name = "development";
    dev.owner = "development";
    dev.domains = {"localhost", "127.0.0.1"};
    App app = store->create(dev, nowMs());
    std::cout << "Created a development app key (first start): " << app.appKey << "\n"
              << "  secret (shown once, signs room credentials): " << app.secret << "\n";
  }

  ServerOptions options;
  options.host = config.listenHost;
  options.port = config.listenPort;
  options.threads = config.threads;
  if (config.tlsEnabled) {
    options.certFile = config.tlsCert;
    options.keyFile = config.tlsKey;
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

  TokenSigner signer = TokenSigner::fromStore(*store);
  ApiConfig api;
  api.signalingHost = config.publicHost;
  api.iceHost = !config.iceHost.empty() ? config.iceHost
                : (config.listenHost == "0.0.0.0" || config.listenHost == "::") ? "127.0.0.1"
                                                                                : config.listenHost;
  api.turnSecret = config.turnSecret;
  api.turnTtlSeconds = config.turnTtlSeconds;
  ApiService apiService(*store, signer, api, config.limits);
  CredentialJoinAuthorizer authorizer(*store, signer, api, config.limits);
  Hub hub(config.limits, authorizer);
  HubGateway gateway(hub);
  std::string webRoot = config.webRoot.empty() ? AERIE_DEFAULT_WEB_ROOT : config.webRoot;
  std::vector<AppRouter::Mount> mounts;
  if (!webRoot.empty()) {
    // The browser library's build (client/dist), the npm SkylinkJS for the demo, the pages.
    mounts.push_back({"/skylink", StaticFiles(webRoot + "/../client/dist")});
    mounts.push_back({"/vendor/skylinkjs/", StaticFiles(webRoot + "/../node_modules/skylinkjs/publish")});
    mounts.push_back({"", StaticFiles(webRoot)});
  }
  AppRouter router(apiService, std::move(mounts));

  Server server(options, config.limits, hub, router, gateway);
  server.bind();
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
  std::cout.flush();
  log::info("server", "listening", {{"url", url}, {"data", config.dataDir}});
  server.run();
  log::info("server", "stopped");
  return 0;
}

}  // namespace aerie
