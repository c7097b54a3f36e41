#include "record/RecordingCatalog.hpp"

#include <algorithm>
#include <boost/json/parse.hpp>
#include <boost/json/serialize.hpp>
#include <filesystem>
#include <fstream>
#include <sstream>

#include "core/Crypto.hpp"
#include "core/IsoTime.hpp"

namespace aerie {
namespace fs = std::filesystem;
namespace {

constexpr std::string_view kMeta = "recording.json";

bool writeMeta(const fs::path& dir, const boost::json::object& meta) {
  const fs::path tmp = dir / "recording.json.tmp";
  {
    std::ofstream out(tmp, std::ios::trunc);
    out << boost::json::serialize(meta);
    if (!out) return false;
  }
  std::error_code ec;
  fs::rename(tmp, dir / kMeta, ec);
  return !ec;
}

std::optional<boost::json::object> readMeta(const fs::path& dir) {
  std::ifstream in(dir / kMeta);
  if (!in) return std::nullopt;
  std::stringstream text;
  text << in.rdbuf();
  boost::system::error_code ec;
  auto v = boost::json::parse(text.str(), ec);
  if (ec || !v.is_object()) return std::nullopt;
  return std::move(v.as_object());
}

std::string field(const boost::json::object& o, std::string_view name) {
  const auto* v = o.if_contains(name);
  return v != nullptr && v->is_string() ? std::string(v->get_string()) : std::string();
}

bool safeName(std::string_view s) {
  if (s.empty() || s.size() > 128) return false;
  return std::all_of(s.begin(), s.end(), [](char c) {
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_' || c == '-' || c == '.';
  }) && s.front() != '.';
}

}  // namespace

RecordingCatalog::RecordingCatalog(std::string root, std::size_t maxConcurrent)
    : root_(std::move(root)), maxConcurrent_(maxConcurrent) {}

std::string RecordingCatalog::fileNameFor(std::string_view publisher) {
  std::string name;
  for (char c : publisher.substr(0, 100)) {
    const bool ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_' || c == '-';
    name += ok ? c : '_';
  }
  if (name.empty()) name = "_";
  return name + ".webm";
}

bool RecordingCatalog::validId(std::string_view id) {
  return id.size() == 22 && safeName(id) && id.find('.') == std::string_view::npos;
}

std::size_t RecordingCatalog::activeCount() const {
  std::lock_guard lock(mutex_);
  return active_.size();
}

std::variant<RecordingCatalog::Started, std::string> RecordingCatalog::begin(std::string_view room, std::string_view appKey,
                                                                             std::int64_t nowMs) {
  std::lock_guard lock(mutex_);
  if (active_.size() >= maxConcurrent_) return std::string("too many recordings");
  // 16 random bytes, base64url: 22 characters a file name can hold as they are.
  std::string id = crypto::randomToken(16);
  std::replace(id.begin(), id.end(), '-', 'x');  // a directory name never starts with '-'
  const fs::path dir = fs::path(root_) / id;
  std::error_code ec;
  fs::create_directories(dir, ec);
  if (ec) return "disk error: " + ec.message();
  boost::json::object meta;
  meta["id"] = id;
  meta["room"] = room;
  meta["appKey"] = appKey;
  meta["startedAt"] = IsoTime::format(nowMs);
  if (!writeMeta(dir, meta)) return std::string("disk error: cannot write recording.json");
  active_.insert(id);
  return Started{id, dir.string()};
}

void RecordingCatalog::finish(std::string_view id, std::int64_t nowMs) {
  std::lock_guard lock(mutex_);
  if (auto it = active_.find(id); it != active_.end()) active_.erase(it);
  const fs::path dir = fs::path(root_) / std::string(id);
  auto meta = readMeta(dir);
  if (!meta) return;
  (*meta)["endedAt"] = IsoTime::format(nowMs);
  writeMeta(dir, *meta);
}

std::optional<RecordingInfo> RecordingCatalog::read(const std::string& id) const {
  if (!validId(id)) return std::nullopt;
  const fs::path dir = fs::path(root_) / id;
  auto meta = readMeta(dir);
  if (!meta) return std::nullopt;
  RecordingInfo info;
  info.id = id;
  info.room = field(*meta, "room");
  info.appKey = field(*meta, "appKey");
  info.startedAt = field(*meta, "startedAt");
  info.endedAt = field(*meta, "endedAt");
  info.active = active_.contains(id);
  std::error_code ec;
  for (const auto& entry : fs::directory_iterator(dir, ec)) {
    const std::string name = entry.path().filename().string();
    if (!entry.is_regular_file(ec) || !name.ends_with(".webm")) continue;
    info.files.push_back(RecordedFile{name, entry.file_size(ec)});
  }
  std::sort(info.files.begin(), info.files.end(), [](const auto& a, const auto& b) { return a.name < b.name; });
  return info;
}

std::vector<RecordingInfo> RecordingCatalog::list() const {
  std::lock_guard lock(mutex_);
  std::vector<RecordingInfo> out;
  std::error_code ec;
  for (const auto& entry : fs::directory_iterator(root_, ec)) {
    if (!entry.is_directory(ec)) continue;
    if (auto info = read(entry.path().filename().string())) out.push_back(std::move(*info));
  }
  std::sort(out.begin(), out.end(), [](const auto& a, const auto& b) { return a.startedAt < b.startedAt; });
  return out;
}

std::optional<RecordingInfo> RecordingCatalog::find(std::string_view id) const {
  std::lock_guard lock(mutex_);
  return read(std::string(id));
}

std::optional<std::string> RecordingCatalog::filePath(std::string_view id, std::string_view file) const {
  if (!validId(id) || !safeName(file) || !file.ends_with(".webm")) return std::nullopt;
  const fs::path path = fs::path(root_) / std::string(id) / std::string(file);
  std::error_code ec;
  if (!fs::is_regular_file(path, ec)) return std::nullopt;
  return path.string();
}

RecordingCatalog::Removal RecordingCatalog::remove(std::string_view id) {
  std::lock_guard lock(mutex_);
  if (!validId(id)) return Removal::NotFound;
  if (active_.contains(id)) return Removal::Active;
  const fs::path dir = fs::path(root_) / std::string(id);
  std::error_code ec;
  if (!fs::is_regular_file(dir / kMeta, ec)) return Removal::NotFound;
  fs::remove_all(dir, ec);
  return ec ? Removal::NotFound : Removal::Removed;
}

}  // namespace aerie
