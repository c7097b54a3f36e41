#include "admin/AdminRecordings.hpp"

#include <boost/json/array.hpp>
#include <fstream>

#include "admin/AdminJson.hpp"
#include "codec/ByteRange.hpp"
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

// One file, whole (200) or the one range asked for (206, 416): ByteRange says which. Only the
// bytes sent are read. A file under way grows: its size is taken once, when it is opened.
HttpReply fileReply(const std::string& path, const std::string& name, const HttpRequestView& req) {
  std::ifstream in(path, std::ios::binary | std::ios::ate);
  const std::streamoff end = in ? static_cast<std::streamoff>(in.tellg()) : -1;
  if (end < 0) return AdminJson::error(404, "not_found", "no such recording file");
  const auto size = static_cast<std::uint64_t>(end);
  const ByteRange range = req.ifRange ? ByteRange{} : ByteRange::parse(req.range, size);
  const std::string total = std::to_string(size);
  if (range.kind == ByteRange::Kind::Unsatisfiable) {
    HttpReply r = AdminJson::error(416, "range_not_satisfiable",
                                   "the range asked for is beyond the file's " + total + " bytes");
    r.headers.emplace_back("Content-Range", "bytes */" + total);
    r.headers.emplace_back("Accept-Ranges", "bytes");
    return r;
  }
  const bool partial = range.kind == ByteRange::Kind::Partial;
  const std::uint64_t first = partial ? range.first : 0;
  const std::uint64_t length = partial ? range.length() : size;
  HttpReply reply;
  reply.body.resize(length);
  in.seekg(static_cast<std::streamoff>(first));
  in.read(reply.body.data(), static_cast<std::streamsize>(length));
  reply.body.resize(static_cast<std::size_t>(in.gcount()));
  reply.contentType = "video/webm";
  reply.headers.emplace_back("Accept-Ranges", "bytes");
  if (partial) {
    reply.status = 206;
    reply.headers.emplace_back("Content-Range", "bytes " + std::to_string(first) + "-" +
                                                    std::to_string(first + reply.body.size() - 1) + "/" + total);
  }
  reply.headers.emplace_back("Content-Disposition", "attachment; filename=\"" + name + "\"");
  return reply;
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
  return fileReply(*path, route.file, req);
}

}  // namespace aerie
