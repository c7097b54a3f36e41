#include "app/StoreCommands.hpp"

#include <boost/json/array.hpp>
#include <boost/json/object.hpp>
#include <boost/json/serialize.hpp>
#include <iostream>
#include <optional>
#include <stdexcept>

#include "admin/AdminJson.hpp"
#include "admin/AdminToken.hpp"
#include "admin/AppFields.hpp"
#include "app/Config.hpp"
#include "core/Clock.hpp"
#include "core/IsoTime.hpp"
#include "storage/MediaMode.hpp"
#include "app/StoreOpener.hpp"

namespace aerie {
namespace {

// The command's own flags, as the JSON fields of the admin API, apart from the config flags
// (--data, --store, --config, ...) that go to Config::load.
struct Flags {
  boost::json::object fields;
  std::string parent;
  std::optional<std::string> from, to;
  bool rotate = false;
  std::vector<std::string> positional;
  std::vector<std::string> configArgs;
};

bool onOff(const std::string& flag, const std::string& v) {
  if (v == "on" || v == "true" || v == "yes") return true;
  if (v == "off" || v == "false" || v == "no") return false;
  throw std::runtime_error(flag + " takes on or off, not '" + v + "'");
}

Flags parseFlags(const std::vector<std::string>& args) {
  Flags f;
  boost::json::array domains;
  for (std::size_t i = 0; i < args.size(); ++i) {
    const auto& a = args[i];
    auto value = [&]() -> std::string {
      if (i + 1 >= args.size()) throw std::runtime_error("option " + a + " needs a value");
      return args[++i];
    };
    if (a == "--name") f.fields["name"] = value();
    else if (a == "--owner") f.fields["owner"] = value();
    else if (a == "--domain") domains.emplace_back(value());
    else if (a == "--parent") f.parent = value();
    else if (a == "--max-peers") {
      const std::string v = value();
      if (v.empty() || v.find_first_not_of("0123456789") != std::string::npos || v.size() > 9) {
        throw std::runtime_error("--max-peers takes a whole number, not '" + v + "'");
      }
      f.fields["maxPeersPerRoom"] = std::stoll(v);
    } else if (a == "--turn") f.fields["turnEnabled"] = onOff(a, value());
    else if (a == "--persistent-rooms") f.fields["persistentRooms"] = onOff(a, value());
    else if (a == "--media") {
      const std::string v = value();
      if (!parseMediaMode(v)) {
        throw std::runtime_error("--media takes mesh, sfu or auto, not '" + v + "'");
      }
      f.fields["mediaMode"] = v;
    } else if (a == "--auto-sfu-peers") {
      // The range is AppFields' (the admin API's), which says what is allowed.
      const std::string v = value();
      if (v.empty() || v.find_first_not_of("0123456789") != std::string::npos || v.size() > 9) {
        throw std::runtime_error("--auto-sfu-peers takes a whole number, not '" + v + "'");
      }
      f.fields["autoSfuPeers"] = std::stoll(v);
    } else if (a == "--expires") {
      const std::string v = value();
      if (v == "never") f.fields["expiresAt"] = nullptr;
      else f.fields["expiresAt"] = v;
    } else if (a == "--from") f.from = value();
    else if (a == "--to") f.to = value();
    else if (a == "--rotate") f.rotate = true;
    else if (a.rfind("--", 0) == 0) {
      f.configArgs.push_back(a);
      if (a.find('=') == std::string::npos) f.configArgs.push_back(value());
    } else {
      f.positional.push_back(a);
    }
  }
  if (!domains.empty()) f.fields["domains"] = std::move(domains);
  return f;
}

std::unique_ptr<AppStore> openStore(const Flags& f) {
  return StoreOpener::open(Config::load(f.configArgs));
}

void print(const boost::json::value& v) {
  std::cout << boost::json::serialize(v) << "\n";
}

const std::string& onlyKey(const Flags& f, const char* command) {
  if (f.positional.size() != 1) {
    throw std::runtime_error(std::string(command) + ": give exactly one app key");
  }
  return f.positional[0];
}

App existing(AppStore& store, const std::string& key) {
  auto app = store.findByKey(key);
  if (!app) throw std::runtime_error("no such app key " + key);
  return *app;
}

std::int64_t timeFlag(const std::optional<std::string>& v, const char* flag, std::int64_t fallback) {
  if (!v) return fallback;
  auto ms = IsoTime::parseMs(*v);
  if (!ms) throw std::runtime_error(std::string(flag) + " takes an ISO 8601 date-time with a zone");
  return *ms;
}

int createAlias(AppStore& store, const Flags& f) {
  if (f.parent.empty()) throw std::runtime_error("alias create: --parent KEY is required");
  const App parent = existing(store, f.parent);
  if (parent.parentKey) throw std::runtime_error("alias create: the parent is an alias key itself");
  if (parent.revoked) throw std::runtime_error("alias create: the parent key is revoked");
  auto fields = AppFields::forAlias(f.fields, parent);
  if (!fields.value) throw std::runtime_error("alias create: " + fields.problem);
  print(AdminJson::app(store.create(*fields.value, nowMs()), true));
  return 0;
}

}  // namespace

const char* StoreCommands::usage() {
  return "  aerie app create STORE --name NAME --domain DOMAIN [--domain ...] [--owner O]\n"
         "                  [--max-peers N] [--turn on|off] [--persistent-rooms on|off]\n"
         "                  [--media mesh|sfu|auto] [--auto-sfu-peers N] [--expires ISO]\n"
         "                                          (prints the app, with its secret, as JSON)\n"
         "  aerie app list STORE\n"
         "  aerie app get|revoke|rotate-secret STORE KEY\n"
         "  aerie app update STORE KEY [--name N] [--domain D ...] [--max-peers N]\n"
         "                  [--turn on|off] [--persistent-rooms on|off] [--media mesh|sfu|auto]\n"
         "                  [--auto-sfu-peers N] [--expires ISO|never]\n"
         "  aerie app usage STORE KEY [--from ISO] [--to ISO]   (default: the last 30 days)\n"
         "  aerie alias create STORE --parent KEY --domain D [--name N] [--expires ISO]\n"
         "  aerie alias list STORE --parent KEY\n"
         "  aerie token STORE [--rotate]   (prints the admin API's bearer token)\n"
         "  STORE is --data DIR (SQLite, the default) or --store postgresql://... (shared by nodes)\n";
}

int StoreCommands::app(const std::vector<std::string>& args) {
  if (args.empty()) {
    throw std::runtime_error("app: expected create, list, get, update, revoke, rotate-secret or usage");
  }
  const std::string& sub = args[0];
  const Flags f = parseFlags({args.begin() + 1, args.end()});
  auto store = openStore(f);
  if (sub == "create") {
    if (!f.parent.empty()) return createAlias(*store, f);  // `app create --parent` = alias
    auto fields = AppFields::forCreate(f.fields);
    if (!fields.value) throw std::runtime_error("app create: " + fields.problem);
    print(AdminJson::app(store->create(*fields.value, nowMs()), true));
    return 0;
  }
  if (sub == "list") {
    boost::json::array out;
    for (const auto& a : store->list()) out.push_back(AdminJson::app(a, false));
    print(out);
    return 0;
  }
  if (sub == "get") {
    print(AdminJson::app(existing(*store, onlyKey(f, "app get")), false));
    return 0;
  }
  if (sub == "revoke") {
    const std::string& key = onlyKey(f, "app revoke");
    existing(*store, key);
    store->revoke(key);
    print(AdminJson::app(existing(*store, key), false));
    return 0;
  }
  if (sub == "update") {
    const std::string& key = onlyKey(f, "app update");
    auto change = AppFields::forUpdate(f.fields);
    if (!change.value) throw std::runtime_error("app update: " + change.problem);
    auto updated = store->update(key, *change.value);
    if (!updated) throw std::runtime_error("no such app key " + key);
    print(AdminJson::app(*updated, false));
    return 0;
  }
  if (sub == "rotate-secret") {
    const std::string& key = onlyKey(f, "app rotate-secret");
    auto secret = store->rotateSecret(key);
    if (!secret) throw std::runtime_error("no such app key " + key);
    print(boost::json::object{{"appKey", key}, {"secret", *secret}});
    return 0;
  }
  if (sub == "usage") {
    const std::string& key = onlyKey(f, "app usage");
    existing(*store, key);
    const std::int64_t to = timeFlag(f.to, "--to", nowMs());
    const std::int64_t from = timeFlag(f.from, "--from", to - 30LL * 24 * 3600 * 1000);
    if (from >= to) throw std::runtime_error("app usage: --from must be before --to");
    print(AdminJson::usage(key, store->usage(key, from, to)));
    return 0;
  }
  throw std::runtime_error("app: unknown subcommand '" + sub + "'");
}

int StoreCommands::alias(const std::vector<std::string>& args) {
  if (args.empty()) throw std::runtime_error("alias: expected create or list");
  const std::string& sub = args[0];
  const Flags f = parseFlags({args.begin() + 1, args.end()});
  auto store = openStore(f);
  if (sub == "create") return createAlias(*store, f);
  if (sub == "list") {
    if (f.parent.empty()) throw std::runtime_error("alias list: --parent KEY is required");
    existing(*store, f.parent);
    boost::json::array out;
    for (const auto& a : store->listAliases(f.parent)) out.push_back(AdminJson::app(a, false));
    print(out);
    return 0;
  }
  throw std::runtime_error("alias: unknown subcommand '" + sub + "'");
}

int StoreCommands::token(const std::vector<std::string>& args) {
  const Flags f = parseFlags(args);
  if (!f.positional.empty() || !f.fields.empty()) {
    throw std::runtime_error("token: takes only --data/--store/--config and --rotate");
  }
  auto store = openStore(f);
  bool created = false;
  // Printed bare, so that scripts can write TOKEN=$(aerie token --data DIR).
  std::cout << (f.rotate ? AdminToken::rotate(*store) : AdminToken::ensure(*store, created))
            << "\n";
  return 0;
}

}  // namespace aerie
