#pragma once
// Structured logs: one JSON line per event on stderr. Never log secrets.
#include <initializer_list>
#include <string>
#include <string_view>
#include <utility>

namespace aerie::log {

enum class Level { Debug = 0, Info = 1, Warn = 2, Error = 3 };
using Fields = std::initializer_list<std::pair<std::string_view, std::string_view>>;

void setLevel(Level level);
bool parseLevel(std::string_view text, Level& out);
bool enabled(Level level);
void write(Level level, std::string_view channel, std::string_view message, Fields fields = {});

inline void debug(std::string_view ch, std::string_view msg, Fields f = {}) { write(Level::Debug, ch, msg, f); }
inline void info(std::string_view ch, std::string_view msg, Fields f = {}) { write(Level::Info, ch, msg, f); }
inline void warn(std::string_view ch, std::string_view msg, Fields f = {}) { write(Level::Warn, ch, msg, f); }
inline void error(std::string_view ch, std::string_view msg, Fields f = {}) { write(Level::Error, ch, msg, f); }

}  // namespace aerie::log
