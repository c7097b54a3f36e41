#include "app/StaticFiles.hpp"

#include <filesystem>
#include <fstream>
#include <sstream>

namespace aerie {

StaticFiles::StaticFiles(std::string root) : root_(std::move(root)) {}

std::string_view StaticFiles::mimeType(std::string_view path) {
  auto ends = [&](std::string_view ext) {
    return path.size() >= ext.size() && path.substr(path.size() - ext.size()) == ext;
  };
  if (ends(".html")) return "text/html; charset=utf-8";
  if (ends(".js") || ends(".mjs")) return "text/javascript; charset=utf-8";
  if (ends(".css")) return "text/css; charset=utf-8";
  if (ends(".json") || ends(".map")) return "application/json";
  if (ends(".svg")) return "image/svg+xml";
  if (ends(".png")) return "image/png";
  if (ends(".ico")) return "image/x-icon";
  return "application/octet-stream";
}

std::optional<HttpReply> StaticFiles::get(std::string_view urlPath) const {
  if (root_.empty() || urlPath.empty() || urlPath[0] != '/') return std::nullopt;
  std::string rel(urlPath.substr(1));
  if (rel.empty() || rel.back() == '/') rel += "index.html";
  // No percent-decoding and no dot segments: our files have plain names.
  if (rel.find("..") != std::string::npos || rel.find('%') != std::string::npos ||
      rel.find('\\') != std::string::npos || rel.find('\0') != std::string::npos) {
    return std::nullopt;
  }
  std::filesystem::path p = std::filesystem::path(root_) / rel;
  std::error_code ec;
  if (!std::filesystem::is_regular_file(p, ec)) {
    p += ".html";  // `/demo` serves demo.html
    if (!std::filesystem::is_regular_file(p, ec)) return std::nullopt;
  }
  std::ifstream in(p, std::ios::binary);
  if (!in) return std::nullopt;
  std::ostringstream ss;
  ss << in.rdbuf();
  HttpReply reply;
  reply.contentType = std::string(mimeType(p.string()));
  reply.headers.emplace_back("Cache-Control", "no-cache");
  reply.body = ss.str();
  return reply;
}

}  // namespace aerie
