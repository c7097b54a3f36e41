#pragma once
// Validation of app fields, declared as one table per operation (create, alias, update), for
// the admin API's JSON bodies and, through the same tables, the CLI's flags. A body passes
// only if every field is known, of the right type and within bounds.
#include <boost/json/object.hpp>
#include <optional>
#include <string>
#include <string_view>

#include "storage/AppStore.hpp"

namespace aerie {

class AppFields {
 public:
  // Either a value or a sentence saying what is wrong with the input.
  template <class T>
  struct Checked {
    std::optional<T> value;
    std::string problem;
  };

  // {name, domains, owner?, maxPeersPerRoom?, turnEnabled?, persistentRooms?, mediaMode?,
  // autoSfuPeers?, expiresAt?}
  static Checked<NewApp> forCreate(const boost::json::object& body);
  // {domains, name?, expiresAt?}: an alias key of `parent` (owner and realm settings, the
  // media mode among them, are the parent's).
  static Checked<NewApp> forAlias(const boost::json::object& body, const App& parent);
  // Any of {name, domains, maxPeersPerRoom, turnEnabled, persistentRooms, mediaMode,
  // autoSfuPeers, expiresAt}, at least one; `expiresAt: null` removes the expiry.
  static Checked<AppUpdate> forUpdate(const boost::json::object& body);

  // nullopt if `domain` is a usable CORS domain pattern (see OriginPolicy): a host name, IP
  // address, `*.suffix` or `*`, without scheme, path or whitespace. Otherwise what to fix.
  static std::optional<std::string> domainProblem(std::string_view domain);

  static constexpr std::size_t kMaxTextBytes = 128;
  static constexpr std::size_t kMaxDomains = 100;
  static constexpr std::size_t kMaxDomainBytes = 253;  // RFC 1035 section 2.3.4
  static constexpr std::int64_t kMaxPeersPerRoom = 10000;
  // An app's autoSfuPeers: a mesh of more browsers than this is no use to anyone.
  static constexpr std::int64_t kMaxAutoSfuPeers = 100;
};

}  // namespace aerie
