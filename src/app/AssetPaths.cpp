#include "app/AssetPaths.hpp"

#include <filesystem>
#include <system_error>

namespace aerie {

namespace fs = std::filesystem;

std::string AssetPaths::webRoot(const std::string& configured, const std::string& executable,
                                const std::string& sourceTree) {
  if (!configured.empty()) return configured;
  std::error_code ec;
  if (!executable.empty()) {
    const fs::path installed = fs::path(executable).parent_path().parent_path() / "share" / "aerie" / "web";
    if (fs::is_directory(installed, ec)) return installed.lexically_normal().string();
  }
  if (!sourceTree.empty() && fs::is_directory(sourceTree, ec)) return sourceTree;
  return {};
}

std::string AssetPaths::executable() {
  std::error_code ec;
  const fs::path self = fs::read_symlink("/proc/self/exe", ec);
  return ec ? std::string() : self.string();
}

}  // namespace aerie
