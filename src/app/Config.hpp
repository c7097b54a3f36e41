#pragma once
// Server settings. Sources, later ones winning: built-in defaults, the JSON file given with
// --config, AERIE_* environment variables, command-line flags. Validated once at start.
#include <cstdint>
#include <string>
#include <vector>

#include "core/Limits.hpp"

namespace aerie {

struct Config {
  std::string listenHost = "127.0.0.1";  // loopback unless told otherwise
  std::uint16_t listenPort = 8080;
  std::string dataDir = "./data";
  // Empty: apps, settings and usage in SQLite under dataDir (one node). A postgresql:// URL:
  // in that PostgreSQL database, shared by every node started with it (docs/architecture.md).
  std::string store;
  unsigned threads = 2;
  std::string logLevel = "info";
  std::string tlsCert;  // empty: a self-signed certificate in dataDir, made on first start
  std::string tlsKey;
  bool tlsEnabled = true;
  bool tlsRedirect = false;  // plain-HTTP requests answered with 308 to https:// on the same port
  std::string publicHost;   // `ipSigserver` override; empty: the Host the browser used
  // Cluster mode (docs/cluster.md): set --redis and --node-id. The node registers the address
  // API replies send its rooms' peers to: publicHost (else the listen host) and publicPort
  // (else the listen port).
  std::string redis;          // HOST:PORT of the shared Redis; empty: a single node
  std::string redisUser;      // ACL user (AUTH user password)
  std::string redisPassword;  // never logged; best from AERIE_REDIS_PASSWORD or a config file
  bool redisTls = false;        // TLS to Redis (its tls-port), the certificate verified
  std::string redisCa;          // PEM CA bundle for Redis's certificate; empty: the system's
  std::string redisCert;        // client certificate (PEM chain) if Redis asks for one
  std::string redisKey;         // and its key
  std::string redisServerName;  // the name Redis's certificate must carry; empty: the --redis host
  std::string nodeId;         // unique in the cluster: letters, digits, '.', '_', '-'
  std::uint16_t publicPort = 0;
  std::string iceHost;      // STUN/TURN host handed to peers; empty: public-ip, else listen host
  std::string publicIp;     // the address peers reach this machine by (servers behind NAT)
  std::uint16_t turnTlsPort = 0;  // offer `turns:` on this port (coturn with a certificate)
  std::string turnSecret;   // coturn static-auth-secret
  std::uint32_t turnTtlSeconds = 86400;
  std::string stun = "127.0.0.1:3478";  // built-in STUN server; "off" when coturn owns 3478
  std::string adminToken;  // bearer token of /admin/v1; empty: generated on first start, stored
  std::string siteKey;  // app key of the conferencing app at /; empty: the development key
  std::string webRoot;      // static pages; empty: built-in default
  std::uint16_t mediaPort = 50000;  // SFU media (UDP), one port per loop from here; 0: any free
  bool mediaEnabled = true;         // --media-port off: no media plane (SFU rooms refuse joins)
  std::string mediaPublicIp;        // the address in media candidates; empty: public-ip, else listen
  Limits limits;

  // Applies `--config FILE` (if present in args), then the environment, then the flags.
  // Unknown flags or bad values: throws std::runtime_error naming them.
  static Config load(const std::vector<std::string>& args);
  void applyFile(const std::string& path);
  void applyEnvironment();
  void applyFlags(const std::vector<std::string>& args);
  void setListen(const std::string& hostPort);
};

}  // namespace aerie
