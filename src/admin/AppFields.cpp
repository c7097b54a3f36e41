#include "admin/AppFields.hpp"

#include <algorithm>
#include <cstdint>
#include <span>

#include "core/IsoTime.hpp"
#include "storage/MediaMode.hpp"

namespace aerie {
namespace {

enum class Kind {
  Text,     // 1..kMaxTextBytes bytes, no control characters
  Domains,  // array of 1..kMaxDomains domain patterns
  Count,    // integer 0..kMaxPeersPerRoom
  Flag,     // boolean
  Time,     // ISO 8601 date-time with zone, or null
  Mode,     // a media mode name: "mesh", "sfu" or "auto"
  Switch,   // integer 0 (server default) or 1..kMaxAutoSfuPeers: an auto room's switch point
};

struct Rule {
  std::string_view field;
  Kind kind;
  bool required;
};

constexpr Rule kCreate[] = {
    {"name", Kind::Text, true},          {"domains", Kind::Domains, true},
    {"owner", Kind::Text, false},        {"maxPeersPerRoom", Kind::Count, false},
    {"turnEnabled", Kind::Flag, false},  {"persistentRooms", Kind::Flag, false},
    {"mediaMode", Kind::Mode, false},    {"autoSfuPeers", Kind::Switch, false},
    {"expiresAt", Kind::Time, false},
};
constexpr Rule kAlias[] = {
    {"domains", Kind::Domains, true},
    {"name", Kind::Text, false},
    {"expiresAt", Kind::Time, false},
};
constexpr Rule kUpdate[] = {
    {"name", Kind::Text, false},         {"domains", Kind::Domains, false},
    {"maxPeersPerRoom", Kind::Count, false}, {"turnEnabled", Kind::Flag, false},
    {"persistentRooms", Kind::Flag, false},  {"mediaMode", Kind::Mode, false},
    {"autoSfuPeers", Kind::Switch, false},   {"expiresAt", Kind::Time, false},
};

// JSON integers arrive as int64 or, when large, uint64; a fraction is not an integer.
std::optional<std::int64_t> integer(const boost::json::value& v) {
  if (v.is_int64()) return v.get_int64();
  if (v.is_uint64() && v.get_uint64() <= static_cast<std::uint64_t>(INT64_MAX)) {
    return static_cast<std::int64_t>(v.get_uint64());
  }
  return std::nullopt;
}

std::optional<std::string> textProblem(const boost::json::value& v) {
  if (!v.is_string()) return "must be a string";
  const auto& s = v.get_string();
  if (s.empty() || s.size() > AppFields::kMaxTextBytes) {
    return "must be 1 to " + std::to_string(AppFields::kMaxTextBytes) + " bytes";
  }
  for (char c : s) {
    const auto u = static_cast<unsigned char>(c);
    if (u < 0x20 || u == 0x7F) return "must not contain control characters";
  }
  return std::nullopt;
}

std::optional<std::string> valueProblem(Kind kind, const boost::json::value& v) {
  switch (kind) {
    case Kind::Text:
      return textProblem(v);
    case Kind::Domains: {
      if (!v.is_array()) return "must be an array of domain names";
      const auto& a = v.get_array();
      if (a.empty() || a.size() > AppFields::kMaxDomains) {
        return "must list 1 to " + std::to_string(AppFields::kMaxDomains) + " domains";
      }
      for (const auto& d : a) {
        if (!d.is_string()) return "must be an array of strings";
        const auto& s = d.get_string();
        if (auto p = AppFields::domainProblem({s.data(), s.size()})) {
          const std::string_view shown(s.data(), std::min<std::size_t>(s.size(), 64));
          return "has an invalid entry '" + std::string(shown) + "': " + *p;
        }
      }
      return std::nullopt;
    }
    case Kind::Count: {
      const auto n = integer(v);
      if (!n || *n < 0 || *n > AppFields::kMaxPeersPerRoom) {
        return "must be an integer from 0 (server default) to " +
               std::to_string(AppFields::kMaxPeersPerRoom);
      }
      return std::nullopt;
    }
    case Kind::Switch: {
      const auto n = integer(v);
      if (!n || *n < 0 || *n > AppFields::kMaxAutoSfuPeers) {
        return "must be an integer from 1 to " + std::to_string(AppFields::kMaxAutoSfuPeers) +
               ", or 0 for the server default (auto-sfu-peers)";
      }
      return std::nullopt;
    }
    case Kind::Flag:
      if (!v.is_bool()) return "must be true or false";
      return std::nullopt;
    case Kind::Time:
      if (v.is_null()) return std::nullopt;
      if (!v.is_string() || !IsoTime::parseMs({v.get_string().data(), v.get_string().size()})) {
        return "must be an ISO 8601 date-time with a zone (e.g. 2030-01-31T12:00:00Z) or null";
      }
      return std::nullopt;
    case Kind::Mode:
      if (!v.is_string() || !parseMediaMode({v.get_string().data(), v.get_string().size()})) {
        return "must be \"mesh\", \"sfu\" or \"auto\"";
      }
      return std::nullopt;
  }
  return "is invalid";
}

// The first problem of `body` against `rules`, or nullopt.
std::optional<std::string> check(const boost::json::object& body, std::span<const Rule> rules) {
  for (const auto& [key, value] : body) {
    bool known = false;
    for (const auto& r : rules) known = known || r.field == key;
    if (!known) {
      const std::string_view name(key.data(), std::min<std::size_t>(key.size(), 64));
      return "unknown field '" + std::string(name) + "'";
    }
  }
  for (const auto& r : rules) {
    const auto* v = body.if_contains(r.field);
    if (v == nullptr) {
      if (r.required) return "field '" + std::string(r.field) + "' is required";
      continue;
    }
    if (auto p = valueProblem(r.kind, *v)) return "field '" + std::string(r.field) + "' " + *p;
  }
  return std::nullopt;
}

// Accessors for checked bodies: the value is known to be there and of the right type.
std::string text(const boost::json::object& b, std::string_view f) {
  const auto& s = b.at(f).get_string();
  return {s.data(), s.size()};
}

std::vector<std::string> domains(const boost::json::object& b) {
  std::vector<std::string> out;
  for (const auto& d : b.at("domains").get_array()) {
    out.emplace_back(d.get_string().data(), d.get_string().size());
  }
  return out;
}

std::uint32_t count(const boost::json::object& b, std::string_view f) {
  return static_cast<std::uint32_t>(integer(b.at(f)).value_or(0));
}

MediaMode mode(const boost::json::object& b, std::string_view f) {
  const auto& s = b.at(f).get_string();
  return parseMediaMode({s.data(), s.size()}).value_or(MediaMode::Mesh);
}

std::optional<std::int64_t> time(const boost::json::object& b, std::string_view f) {
  const auto& v = b.at(f);
  if (v.is_null()) return std::nullopt;
  return IsoTime::parseMs({v.get_string().data(), v.get_string().size()});
}

}  // namespace

AppFields::Checked<NewApp> AppFields::forCreate(const boost::json::object& body) {
  if (auto p = check(body, kCreate)) return {std::nullopt, *p};
  NewApp n;
  n.name = text(body, "name");
  n.owner = body.contains("owner") ? text(body, "owner") : n.name;
  n.domains = domains(body);
  if (body.contains("maxPeersPerRoom")) n.maxPeersPerRoom = count(body, "maxPeersPerRoom");
  if (body.contains("turnEnabled")) n.turnEnabled = body.at("turnEnabled").get_bool();
  if (body.contains("persistentRooms")) n.persistentRooms = body.at("persistentRooms").get_bool();
  if (body.contains("mediaMode")) n.mediaMode = mode(body, "mediaMode");
  if (body.contains("autoSfuPeers")) n.autoSfuPeers = count(body, "autoSfuPeers");
  if (body.contains("expiresAt")) n.expiresAtMs = time(body, "expiresAt");
  return {std::move(n), {}};
}

AppFields::Checked<NewApp> AppFields::forAlias(const boost::json::object& body,
                                               const App& parent) {
  if (auto p = check(body, kAlias)) return {std::nullopt, *p};
  NewApp n;
  n.parentKey = parent.appKey;
  n.owner = parent.owner;
  n.name = body.contains("name") ? text(body, "name") : parent.name + " (alias)";
  if (n.name.size() > kMaxTextBytes) n.name.resize(kMaxTextBytes);
  n.domains = domains(body);
  if (body.contains("expiresAt")) n.expiresAtMs = time(body, "expiresAt");
  return {std::move(n), {}};
}

AppFields::Checked<AppUpdate> AppFields::forUpdate(const boost::json::object& body) {
  if (auto p = check(body, kUpdate)) return {std::nullopt, *p};
  if (body.empty()) return {std::nullopt, "nothing to change: give at least one field"};
  AppUpdate u;
  if (body.contains("name")) u.name = text(body, "name");
  if (body.contains("domains")) u.domains = domains(body);
  if (body.contains("maxPeersPerRoom")) u.maxPeersPerRoom = count(body, "maxPeersPerRoom");
  if (body.contains("turnEnabled")) u.turnEnabled = body.at("turnEnabled").get_bool();
  if (body.contains("persistentRooms")) u.persistentRooms = body.at("persistentRooms").get_bool();
  if (body.contains("mediaMode")) u.mediaMode = mode(body, "mediaMode");
  if (body.contains("autoSfuPeers")) u.autoSfuPeers = count(body, "autoSfuPeers");
  if (body.contains("expiresAt")) u.expiresAtMs = time(body, "expiresAt");
  return {std::move(u), {}};
}

std::optional<std::string> AppFields::domainProblem(std::string_view d) {
  if (d.empty() || d.size() > kMaxDomainBytes) {
    return "a domain is 1 to " + std::to_string(kMaxDomainBytes) + " bytes";
  }
  if (d.find("://") != std::string_view::npos) {
    return "give the host only, without scheme (example.com, not https://example.com)";
  }
  for (char c : d) {
    const auto u = static_cast<unsigned char>(c);
    if (u <= 0x20 || u == 0x7F || c == '/' || c == '?' || c == '#' || c == '@' || c == '\\' ||
        c == ',' || c == '"') {
      return "give a host name such as example.com or *.example.com, without path, spaces or "
             "punctuation";
    }
  }
  const auto star = d.find('*');
  if (star != std::string_view::npos && !(d == "*" || (d.starts_with("*.") && d.size() > 2 &&
                                                      d.find('*', 1) == std::string_view::npos))) {
    return "a wildcard is only allowed as '*' or '*.example.com'";
  }
  return std::nullopt;
}

}  // namespace aerie
