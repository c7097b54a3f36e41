#include "Wire.hpp"

#include <boost/json/parse.hpp>
#include <boost/json/serialize.hpp>

#include <algorithm>
#include <cctype>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <ctime>

namespace loadgen::wire {

namespace json = boost::json;

namespace {

void appendEscaped(std::string& out, std::string_view s) {
  for (char c : s) {
    auto u = static_cast<unsigned char>(c);
    if (c == '"' || c == '\\') {
      out += '\\';
      out += c;
    } else if (u < 0x20) {
      char buf[8];
      std::snprintf(buf, sizeof buf, "\\u%04x", u);
      out += buf;
    } else {
      out += c;
    }
  }
}

void appendStamp(std::string& out, double ms) {
  char buf[64];
  int n = std::snprintf(buf, sizeof buf, "%.3f", ms);
  out.append(buf, static_cast<std::size_t>(std::clamp(n, 0, static_cast<int>(sizeof buf) - 1)));
}

const json::object& userInfo() {
  static const json::object info = [] {
    json::object o;
    o["userData"] = "bench";
    json::object settings;
    settings["audio"] = json::object{{"stereo", false}};
    settings["video"] = json::object{{"resolution", json::object{{"width", 640}, {"height", 480}}}, {"frameRate", 30}};
    settings["bandwidth"] = json::object{};
    o["settings"] = std::move(settings);
    o["mediaStatus"] = json::object{{"audioMuted", false}, {"videoMuted", false}};
    return o;
  }();
  return info;
}

json::object presence(std::string_view type, double weight, std::string_view target) {
  json::object m;
  m["type"] = type;
  m["mid"] = "";
  m["rid"] = "";
  m["agent"] = "bench";
  m["version"] = "0.6.37";
  m["os"] = "Linux";
  m["userInfo"] = userInfo();
  m["receiveOnly"] = false;
  m["weight"] = weight;
  m["enableIceTrickle"] = true;
  m["enableDataChannel"] = true;
  m["enableIceRestart"] = false;
  m["SMProtocolVersion"] = "0.1.1";
  m["DTProtocolVersion"] = "0.1.0";
  m["temasysPluginVersion"] = nullptr;
  if (!target.empty()) m["target"] = target;
  return m;
}

json::object sdpMessage(std::string_view type, std::string_view target, std::string_view sdp) {
  json::object m;
  m["type"] = type;
  m["mid"] = "";
  m["rid"] = "";
  m["sdp"] = sdp;
  m["userInfo"] = userInfo();
  m["target"] = target;
  return m;
}

}  // namespace

std::string encodeUriComponent(std::string_view s) {
  static const char* hex = "0123456789ABCDEF";
  std::string out;
  for (char c : s) {
    auto u = static_cast<unsigned char>(c);
    if (std::isalnum(u) || c == '-' || c == '_' || c == '.' || c == '!' || c == '~' || c == '*' || c == '\'' ||
        c == '(' || c == ')') {
      out += c;
    } else {
      out += '%';
      out += hex[u >> 4];
      out += hex[u & 15];
    }
  }
  return out;
}

std::string sioFrame(std::string_view jsonText) {
  std::string out;
  out.reserve(jsonText.size() + jsonText.size() / 8 + 16);
  out += "42[\"message\",\"";
  appendEscaped(out, jsonText);
  out += "\"]";
  return out;
}

std::string sioFrame(const json::value& msg) { return sioFrame(json::serialize(msg)); }

Parsed parse(std::string_view text) {
  Parsed p;
  if (text == "3") {
    p.kind = Kind::Pong;
    return p;
  }
  if (text == "40") {
    p.kind = Kind::Connect;
    return p;
  }
  boost::system::error_code ec;
  if (!text.empty() && text[0] == '0') {
    json::value v = json::parse(text.substr(1), ec);
    if (ec || !v.is_object()) return p;
    p.kind = Kind::Open;
    if (const json::value* pi = v.as_object().if_contains("pingInterval"); pi && pi->is_number()) {
      auto ms = pi->to_number<double>(ec);
      if (!ec && ms >= 1000 && ms < 1e7) p.pingIntervalMs = static_cast<int>(ms);
    }
    return p;
  }
  if (text.size() < 2 || text[0] != '4' || text[1] != '2') return p;
  json::value v = json::parse(text.substr(2), ec);
  if (ec || !v.is_array()) return p;
  const json::array& a = v.as_array();
  if (a.size() < 2 || !a[0].is_string() || a[0].as_string() != "message" || !a[1].is_string()) return p;
  json::value inner = json::parse(a[1].as_string(), ec);
  if (ec || !inner.is_object()) return p;
  const json::value* type = inner.as_object().if_contains("type");
  if (!type || !type->is_string()) return p;
  p.kind = Kind::Message;
  p.message = std::move(inner.as_object());
  return p;
}

json::object enter(double weight) { return presence("enter", weight, {}); }
json::object welcome(double weight, std::string_view target) { return presence("welcome", weight, target); }
json::object offer(std::string_view target, std::string_view sdp) { return sdpMessage("offer", target, sdp); }
json::object answer(std::string_view target, std::string_view sdp) { return sdpMessage("answer", target, sdp); }
json::object bye() { return json::object{{"type", "bye"}, {"mid", ""}, {"rid", ""}}; }

json::object joinRoomFromApi(const json::object& session, std::string_view appKey) {
  json::object m;
  m["type"] = "joinRoom";
  // JSON.stringify leaves out what the reply does not have (undefined).
  auto copy = [&](std::string_view to, std::string_view from) {
    if (const json::value* v = session.if_contains(from)) m[to] = *v;
  };
  copy("uid", "username");
  copy("cid", "cid");
  copy("rid", "room_key");
  copy("userCred", "userCred");
  copy("timeStamp", "timeStamp");
  copy("apiOwner", "apiOwner");
  copy("roomCred", "roomCred");
  copy("start", "start");
  copy("len", "len");
  const json::value* priv = session.if_contains("isPrivileged");
  m["isPrivileged"] = priv && priv->is_bool() && priv->get_bool();
  const json::value* intro = session.if_contains("autoIntroduce");
  m["autoIntroduce"] = !(intro && intro->is_bool() && !intro->get_bool());
  m["key"] = appKey;
  return m;
}

json::object joinRoomPlain(std::string_view room, std::string_view uid) {
  // new Date().toISOString()
  auto now = std::chrono::system_clock::now();
  auto ms = std::chrono::duration_cast<std::chrono::milliseconds>(now.time_since_epoch()).count();
  std::time_t secs = static_cast<std::time_t>(ms / 1000);
  std::tm tm{};
  gmtime_r(&secs, &tm);
  char iso[80];
  std::snprintf(iso, sizeof iso, "%04d-%02d-%02dT%02d:%02d:%02d.%03dZ", tm.tm_year + 1900, tm.tm_mon + 1, tm.tm_mday,
                tm.tm_hour, tm.tm_min, tm.tm_sec, static_cast<int>(ms % 1000));
  json::object m;
  m["type"] = "joinRoom";
  m["uid"] = uid;
  m["cid"] = "bench";
  m["rid"] = room;
  m["userCred"] = "";
  m["timeStamp"] = "";
  m["apiOwner"] = "bench";
  m["roomCred"] = "";
  m["start"] = iso;
  m["len"] = 24;
  m["isPrivileged"] = false;
  m["autoIntroduce"] = true;
  m["key"] = "bench";
  return m;
}

std::string candidateFrame(std::string_view target, std::uint64_t i, double stampMs) {
  // {"type":"candidate","mid":"","rid":"","label":L,"id":"L","target":"T","candidate":"candidate:N 1 udp ..."}
  std::string j;
  j.reserve(320);
  char num[160];
  auto append = [&](int n) { j.append(num, static_cast<std::size_t>(std::clamp(n, 0, static_cast<int>(sizeof num) - 1))); };
  j += R"({"type":"candidate","mid":"","rid":"","label":)";
  int n = std::snprintf(num, sizeof num, "%u,\"id\":\"%u\",\"target\":\"", static_cast<unsigned>(i % 3),
                        static_cast<unsigned>(i % 3));
  append(n);
  appendEscaped(j, target);
  n = std::snprintf(num, sizeof num, "\",\"candidate\":\"candidate:%llu 1 udp 2122260223 127.0.0.1 %llu",
                    static_cast<unsigned long long>(1000 + i), static_cast<unsigned long long>(50000 + i));
  append(n);
  j += " typ host generation 0 ufrag bEnC network-id 1 bench-ts=";
  appendStamp(j, stampMs);
  j += "\"}";
  return sioFrame(j);
}

std::string publicChatFrame(double stampMs) {
  std::string j;
  j.reserve(160);
  j += R"({"type":"public","mid":"","rid":"","cid":"bench","data":{"ts":)";
  appendStamp(j, stampMs);
  j += R"(,"text":"hello from the load generator"}})";
  return sioFrame(j);
}

std::optional<double> frameTimestamp(std::string_view text) {
  auto number = [&](std::size_t at) -> std::optional<double> {
    if (at >= text.size() || !((text[at] >= '0' && text[at] <= '9'))) return std::nullopt;
    // The frame is not NUL-terminated: copy the few characters a number can span.
    char buf[40];
    std::size_t n = 0;
    while (at + n < text.size() && n + 1 < sizeof buf) {
      char c = text[at + n];
      if (!((c >= '0' && c <= '9') || c == '.' || c == 'e' || c == 'E' || c == '+' || c == '-')) break;
      buf[n] = c;
      ++n;
    }
    buf[n] = '\0';
    char* end = nullptr;
    double v = std::strtod(buf, &end);
    if (end == buf) return std::nullopt;
    return v;
  };
  if (auto at = text.find("bench-ts="); at != std::string_view::npos) return number(at + 9);
  if (auto at = text.find(R"(\"ts\":)"); at != std::string_view::npos) return number(at + 7);
  return std::nullopt;
}

}  // namespace loadgen::wire
