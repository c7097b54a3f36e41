#pragma once
// The JSON shapes of the admin API and the CLI (one place, so both print the same objects),
// and the admin API's replies and errors.
#include <boost/json/object.hpp>
#include <boost/json/value.hpp>
#include <string_view>

#include "http/HttpExchange.hpp"
#include "hub/Room.hpp"
#include "storage/App.hpp"
#include "storage/Usage.hpp"

namespace aerie {

class AdminJson {
 public:
  // Times as ISO 8601; the secret only when `withSecret` (at creation and rotation).
  static boost::json::object app(const App& app, bool withSecret);
  static boost::json::object room(const RoomSnapshot& room);
  static boost::json::object usage(const std::string& appKey, const UsageReport& report);

  // A JSON reply. Admin replies are never cached (they carry secrets) and never carry CORS
  // headers: only a page on this server's own origin (the console) may read them.
  static HttpReply reply(unsigned status, const boost::json::value& body);
  // `{error, message}`; `error` is a stable machine-readable code, `message` a sentence.
  static HttpReply error(unsigned status, std::string_view code, std::string_view message);
};

}  // namespace aerie
