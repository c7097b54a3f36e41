#include "app/Config.hpp"

#include <boost/json/parse.hpp>
#include <boost/json/value.hpp>
#include <cctype>
#include <cstdlib>
#include <fstream>
#include <sstream>
#include <stdexcept>

namespace aerie {
namespace {

std::uint32_t toUint(const std::string& name, const std::string& text) {
  try {
    std::size_t used = 0;
    unsigned long v = std::stoul(text, &used);
    if (used != text.size() || v > 0xFFFFFFFFul) throw std::out_of_range(name);
    return static_cast<std::uint32_t>(v);
  } catch (const std::exception&) {
    throw std::runtime_error("invalid number for " + name + ": '" + text + "'");
  }
}

// One setting by name, shared by the file, the environment and the flags.
void set(Config& c, const std::string& name, const std::string& value) {
  if (name == "listen") c.setListen(value);
  else if (name == "data") c.dataDir = value;
  else if (name == "store") {
    if (!value.empty() && value.rfind("postgresql://", 0) != 0 && value.rfind("postgres://", 0) != 0) {
      throw std::runtime_error("store takes a postgresql:// URL (without it: SQLite in the data directory)");
    }
    c.store = value;
  }
  else if (name == "threads") c.threads = toUint(name, value);
  else if (name == "log-level") c.logLevel = value;
  else if (name == "tls-cert") c.tlsCert = value;
  else if (name == "tls-key") c.tlsKey = value;
  else if (name == "tls") c.tlsEnabled = value != "off" && value != "false" && value != "0";
  else if (name == "tls-redirect") c.tlsRedirect = value == "on" || value == "true" || value == "1";
  else if (name == "public-host") c.publicHost = value;
  else if (name == "public-port") {
    const auto port = toUint(name, value);
    if (port == 0 || port > 65535) throw std::runtime_error("public-port out of range: " + value);
    c.publicPort = static_cast<std::uint16_t>(port);
  }
  else if (name == "redis") {
    const auto colon = value.rfind(':');
    if (!value.empty() && (colon == std::string::npos || colon == 0 || colon + 1 == value.size())) {
      throw std::runtime_error("--redis wants HOST:PORT, got '" + value + "'");
    }
    if (!value.empty()) {
      const auto port = toUint("redis port", value.substr(colon + 1));
      if (port == 0 || port > 65535) throw std::runtime_error("redis port out of range: " + value);
    }
    c.redis = value;
  }
  else if (name == "redis-user") c.redisUser = value;
  else if (name == "redis-password") c.redisPassword = value;
  else if (name == "redis-tls") c.redisTls = value == "on" || value == "true" || value == "1";
  else if (name == "redis-ca") c.redisCa = value;
  else if (name == "redis-cert") c.redisCert = value;
  else if (name == "redis-key") c.redisKey = value;
  else if (name == "redis-server-name") c.redisServerName = value;
  else if (name == "node-id") {
    if (value.empty() || value.size() > 64) throw std::runtime_error("node-id must have 1 to 64 characters");
    for (char ch : value) {
      if (!std::isalnum(static_cast<unsigned char>(ch)) && ch != '.' && ch != '_' && ch != '-') {
        throw std::runtime_error("node-id may hold only letters, digits, '.', '_' and '-': '" + value + "'");
      }
    }
    c.nodeId = value;
  }
  else if (name == "ice-host" || name == "turn-host") c.iceHost = value;
  else if (name == "public-ip") c.publicIp = value;
  else if (name == "turn-tls-port") c.turnTlsPort = static_cast<std::uint16_t>(toUint(name, value));
  else if (name == "turn-secret") c.turnSecret = value;
  else if (name == "turn-ttl") c.turnTtlSeconds = toUint(name, value);
  else if (name == "web-root") c.webRoot = value;
  else if (name == "stun") c.stun = value;
  else if (name == "media-port") {
    c.mediaEnabled = value != "off";
    if (c.mediaEnabled) {
      const auto port = toUint(name, value);
      if (port > 65535) throw std::runtime_error("media-port out of range: " + value);
      c.mediaPort = static_cast<std::uint16_t>(port);
    }
  }
  else if (name == "media-public-ip") c.mediaPublicIp = value;
  else if (name == "site-key") c.siteKey = value;
  else if (name == "admin-token") c.adminToken = value;
  else if (name == "limit") {
    auto eq = value.find('=');
    if (eq == std::string::npos || !c.limits.set(value.substr(0, eq), value.substr(eq + 1))) {
      std::string known;
      for (const auto& n : Limits::names()) known += " " + n;
      throw std::runtime_error("--limit wants NAME=NUMBER with NAME one of:" + known + "; got '" + value + "'");
    }
  }
  else if (name == "max-peers-per-room") c.limits.defaultMaxPeersPerRoom = toUint(name, value);
  else throw std::runtime_error("unknown option '" + name + "'");
}

const char* const kNames[] = {"listen", "data", "store", "threads", "log-level", "tls-cert", "tls-key", "tls",
                              "public-host", "ice-host", "turn-secret", "turn-ttl", "web-root",
                              "max-peers-per-room", "stun", "turn-host", "public-ip", "turn-tls-port", "site-key", "admin-token", "tls-redirect",
                              "media-port", "media-public-ip", "public-port", "redis", "redis-user", "redis-password",
                              "redis-tls", "redis-ca", "redis-cert", "redis-key", "redis-server-name", "node-id"};

}  // namespace

void Config::setListen(const std::string& hostPort) {
  auto colon = hostPort.rfind(':');
  if (colon == std::string::npos || colon == 0) throw std::runtime_error("--listen wants HOST:PORT, got '" + hostPort + "'");
  std::string host = hostPort.substr(0, colon);
  if (host.size() > 2 && host.front() == '[' && host.back() == ']') host = host.substr(1, host.size() - 2);
  auto port = toUint("listen port", hostPort.substr(colon + 1));
  if (port > 65535) throw std::runtime_error("listen port out of range: " + std::to_string(port));
  listenHost = host;
  listenPort = static_cast<std::uint16_t>(port);
}

void Config::applyFile(const std::string& path) {
  std::ifstream in(path);
  if (!in) throw std::runtime_error("cannot read config file " + path);
  std::stringstream ss;
  ss << in.rdbuf();
  boost::system::error_code ec;
  auto v = boost::json::parse(ss.str(), ec);
  if (ec || !v.is_object()) throw std::runtime_error("config file " + path + " is not a JSON object");
  for (const auto& [key, value] : v.as_object()) {
    if (key == "limits" && value.is_object()) {
      // {"limits": {"max-frame-bytes": 65536, ...}}
      for (const auto& [name, limit] : value.as_object()) {
        std::string number = limit.is_int64() ? std::to_string(limit.as_int64())
                             : limit.is_double() ? std::to_string(limit.as_double())
                                                 : std::string();
        set(*this, "limit", std::string(name) + "=" + number);
      }
      continue;
    }
    std::string text;
    if (value.is_string()) text = std::string(value.as_string());
    else if (value.is_int64()) text = std::to_string(value.as_int64());
    else if (value.is_bool()) text = value.as_bool() ? "on" : "off";
    else throw std::runtime_error("config " + std::string(key) + ": expected a string, number or bool");
    set(*this, std::string(key), text);
  }
}

void Config::applyEnvironment() {
  for (const char* name : kNames) {
    std::string env = "AERIE_";
    for (const char* p = name; *p; ++p) env += *p == '-' ? '_' : static_cast<char>(std::toupper(*p));
    if (const char* value = std::getenv(env.c_str())) set(*this, name, value);
  }
}

void Config::applyFlags(const std::vector<std::string>& args) {
  for (std::size_t i = 0; i < args.size(); ++i) {
    const std::string& a = args[i];
    if (a.rfind("--", 0) != 0) throw std::runtime_error("unexpected argument '" + a + "'");
    std::string name = a.substr(2), value;
    auto eq = name.find('=');
    if (eq != std::string::npos) {
      value = name.substr(eq + 1);
      name = name.substr(0, eq);
    } else {
      if (i + 1 >= args.size()) throw std::runtime_error("option --" + name + " needs a value");
      value = args[++i];
    }
    if (name == "config") continue;
    set(*this, name, value);
  }
}

Config Config::load(const std::vector<std::string>& args) {
  Config c;
  for (std::size_t i = 0; i + 1 < args.size(); ++i) {
    if (args[i] == "--config") c.applyFile(args[i + 1]);
    else if (args[i].rfind("--config=", 0) == 0) c.applyFile(args[i].substr(9));
  }
  c.applyEnvironment();
  c.applyFlags(args);
  if (c.threads == 0 || c.threads > 64) throw std::runtime_error("threads must be 1..64");
  if (!c.redis.empty() && c.nodeId.empty()) throw std::runtime_error("--redis needs --node-id (unique per node)");
  if (c.redis.empty() && !c.nodeId.empty()) throw std::runtime_error("--node-id needs --redis HOST:PORT");
  const bool redisTlsFiles = !c.redisCa.empty() || !c.redisCert.empty() || !c.redisKey.empty() || !c.redisServerName.empty();
  if (redisTlsFiles && !c.redisTls) {
    throw std::runtime_error("--redis-ca, --redis-cert, --redis-key and --redis-server-name need --redis-tls on");
  }
  if (c.redisCert.empty() != c.redisKey.empty()) throw std::runtime_error("--redis-cert and --redis-key go together");
  return c;
}

}  // namespace aerie
