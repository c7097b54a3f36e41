#pragma once
// The recordings on disk, under `<data dir>/recordings/`: one directory per recording, named by
// its id, holding `recording.json` (room, app key, start and end) and one WebM file per
// publisher, `<publisher id>.webm`. Used by the server peer (start, finish) on every loop and
// by the admin API (list, a file's path, delete): thread-safe, one per process. It also holds
// the count of recordings under way, for Limits::maxConcurrentRecordings. A recording whose
// process was killed stays without an end; its files are whole up to their last cluster.
#include <cstdint>
#include <mutex>
#include <optional>
#include <set>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

namespace aerie {

struct RecordedFile {
  std::string name;  // `<publisher>.webm`
  std::uint64_t bytes = 0;
};

struct RecordingInfo {
  std::string id;
  std::string room;    // the room's name
  std::string appKey;  // the app (realm) the room belongs to
  std::string startedAt;  // ISO 8601
  std::string endedAt;    // empty: under way, or cut short (the process ended first)
  bool active = false;    // under way in this process
  std::vector<RecordedFile> files;
};

class RecordingCatalog {
 public:
  RecordingCatalog(std::string root, std::size_t maxConcurrent);

  struct Started {
    std::string id;
    std::string directory;
  };
  // A new recording: its directory and recording.json. A string: why not (over
  // maxConcurrent, or the disk refused).
  std::variant<Started, std::string> begin(std::string_view room, std::string_view appKey, std::int64_t nowMs);
  // The recording ended: its end time written, its slot free again.
  void finish(std::string_view id, std::int64_t nowMs);

  std::vector<RecordingInfo> list() const;
  std::optional<RecordingInfo> find(std::string_view id) const;
  // The path of one of a recording's files; nullopt for a name that is not one (no paths).
  std::optional<std::string> filePath(std::string_view id, std::string_view file) const;
  enum class Removal { Removed, NotFound, Active };
  Removal remove(std::string_view id);

  // The file name of a publisher's recording: its id, with anything but [A-Za-z0-9_-] as '_'.
  static std::string fileNameFor(std::string_view publisher);
  // Whether `id` has the form begin() gives (so that it can name a directory).
  static bool validId(std::string_view id);
  const std::string& root() const { return root_; }
  std::size_t activeCount() const;

 private:
  std::optional<RecordingInfo> read(const std::string& id) const;

  std::string root_;
  std::size_t maxConcurrent_;
  mutable std::mutex mutex_;
  std::set<std::string, std::less<>> active_;
};

}  // namespace aerie
