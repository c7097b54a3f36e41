#include "admin/AdminRecordings.hpp"

#include <boost/json/array.hpp>
#include <fstream>
#include <sstream>

#include "admin/AdminJson.hpp"
#include "record/RecordingCatalog.hpp"

namespace aerie {
namespace {

boost::json::object describe(const RecordingInfo& r) {
  boost::json::array files;
  for (const auto& f : r.files) {
    files.push_back(boost::json::object{{"name", f.name}, {"bytes", f.bytes},
                                        {"url", "/admin/v1/recordings/" + r.id + "/" + f.name}});
  }
  boost::json::object o{{"id", r.id}, {"room", r.room}, {"appKey", r.appKey}, {"startedAt", r.startedAt},
                        {"active", r.active}, {"files", std::move(files)}};
  if (r.endedAt.empty()) {
    o["endedAt"] = nullptr;
  } else {
    o["endedAt"] = r.endedAt;
  }
  return o;
}

}  // namespace

HttpReply AdminRecordings::handle(RecordingCatalog* catalog, const HttpRequestView& req, const AdminRoute& route) {
  using Endpoint = AdminRoute::Endpoint;
  if (route.endpoint == Endpoint::Recordings) {
    boost::json::array list;
    if (catalog != nullptr) {
      for (const auto& r : catalog->list()) list.push_back(describe(r));
    }
    return AdminJson::reply(200, boost::json::object{{"recordings", std::move(list)}});
  }
  if (catalog == nullptr) return AdminJson::error(404, "not_found", "no such recording");
  if (route.endpoint == Endpoint::Recording && req.method == "DELETE") {
    switch (catalog->remove(route.recording)) {
      case RecordingCatalog::Removal::Removed:
        return AdminJson::reply(200, boost::json::object{{"deleted", route.recording}});
      case RecordingCatalog::Removal::Active:
        return AdminJson::error(409, "conflict", "the recording is under way; stop it first");
      case RecordingCatalog::Removal::NotFound:
        break;
    }
    return AdminJson::error(404, "not_found", "no such recording");
  }
  if (route.endpoint == Endpoint::Recording) {
    auto r = catalog->find(route.recording);
    if (!r) return AdminJson::error(404, "not_found", "no such recording");
    return AdminJson::reply(200, describe(*r));
  }
  const auto path = catalog->filePath(route.recording, route.file);
  if (!path) return AdminJson::error(404, "not_found", "no such recording file");
  std::ifstream in(*path, std::ios::binary);
  std::ostringstream body;
  body << in.rdbuf();
  HttpReply reply;
  reply.contentType = "video/webm";
  reply.body = std::move(body).str();
  reply.headers.emplace_back("Content-Disposition", "attachment; filename=\"" + route.file + "\"");
  return reply;
}

}  // namespace aerie
