#pragma once
// The admin API's recordings (/admin/v1/recordings): the list (room, app key, start, end, files
// with their sizes), one recording, one file (video/webm), and deleting a recording that is
// not under way. The catalog (record/RecordingCatalog) is the disk's; this is its HTTP face.
#include "admin/AdminRoute.hpp"
#include "http/HttpExchange.hpp"

namespace aerie {

class RecordingCatalog;

class AdminRecordings {
 public:
  // `catalog` may be null (no media plane): every recording is then not found.
  static HttpReply handle(RecordingCatalog* catalog, const HttpRequestView& req, const AdminRoute& route);
};

}  // namespace aerie
