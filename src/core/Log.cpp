#include "core/Log.hpp"

#include <atomic>
#include <chrono>
#include <cstdio>

#include "core/IsoTime.hpp"

#include <boost/json/serialize.hpp>
#include <boost/json/string.hpp>

namespace aerie::log {
namespace {
std::atomic<int> gLevel{static_cast<int>(Level::Info)};
const char* name(Level l) {
  switch (l) {
    case Level::Debug: return "debug";
    case Level::Info: return "info";
    case Level::Warn: return "warn";
    case Level::Error: return "error";
  }
  return "?";
}
void appendQuoted(std::string& out, std::string_view s) {
  out += boost::json::serialize(boost::json::string(s));
}
}  // namespace

void setLevel(Level level) { gLevel = static_cast<int>(level); }

bool parseLevel(std::string_view text, Level& out) {
  for (Level l : {Level::Debug, Level::Info, Level::Warn, Level::Error}) {
    if (text == name(l)) { out = l; return true; }
  }
  return false;
}

bool enabled(Level level) { return static_cast<int>(level) >= gLevel.load(std::memory_order_relaxed); }

void write(Level level, std::string_view channel, std::string_view message, Fields fields) {
  if (!enabled(level)) return;
  auto ms = std::chrono::duration_cast<std::chrono::milliseconds>(
                std::chrono::system_clock::now().time_since_epoch())
                .count();
  std::string line = "{\"ts\":\"";
  line += IsoTime::format(ms);
  line += "\",\"level\":\"";
  line += name(level);
  line += "\",\"ch\":";
  appendQuoted(line, channel);
  line += ",\"msg\":";
  appendQuoted(line, message);
  for (const auto& [k, v] : fields) {
    line += ',';
    appendQuoted(line, k);
    line += ':';
    appendQuoted(line, v);
  }
  line += "}\n";
  std::fwrite(line.data(), 1, line.size(), stderr);
}

}  // namespace aerie::log
