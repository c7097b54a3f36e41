#pragma once
// Files under one root directory, for the pages aerie serves. Refuses paths that leave it.
#include <optional>
#include <string>
#include <string_view>

#include "http/HttpExchange.hpp"

namespace aerie {

class StaticFiles {
 public:
  explicit StaticFiles(std::string root);
  // nullopt when the file does not exist (the caller answers 404).
  std::optional<HttpReply> get(std::string_view urlPath) const;
  static std::string_view mimeType(std::string_view path);

 private:
  std::string root_;
};

}  // namespace aerie
