#include "ControlChannel.hpp"

#include "Sources.hpp"

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/read_until.hpp>
#include <boost/json/parse.hpp>
#include <boost/json/serialize.hpp>

#include <unistd.h>

#include <cerrno>
#include <cstdio>
#include <cstdlib>
#include <exception>
#include <stdexcept>

namespace loadgen {

namespace asio = boost::asio;
namespace json = boost::json;

namespace {

double numberArg(const json::object& m, std::string_view key, double fallback) {
  const json::value* v = m.if_contains(key);
  if (!v || !v->is_number()) return fallback;
  boost::system::error_code ec;
  double d = v->to_number<double>(ec);
  return ec ? fallback : d;
}

std::string stringArg(const json::object& m, std::string_view key) {
  const json::value* v = m.if_contains(key);
  return v && v->is_string() ? std::string(v->get_string()) : std::string();
}

void writeAll(const std::string& text) {
  std::size_t done = 0;
  while (done < text.size()) {
    ssize_t n = ::write(STDOUT_FILENO, text.data() + done, text.size() - done);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) std::_Exit(0);  // the orchestrator is gone
    done += static_cast<std::size_t>(n);
  }
}

}  // namespace

ControlChannel::ControlChannel(asio::io_context& io, Generator& gen, int sourceBlock)
    : io_(io), gen_(gen), sourceBlock_(sourceBlock), in_(io, ::dup(STDIN_FILENO)) {}

void ControlChannel::start() { readLine(); }

void ControlChannel::readLine() {
  asio::async_read_until(in_, asio::dynamic_buffer(buf_), '\n', [this](boost::system::error_code ec, std::size_t n) {
    if (ec) {
      // stdin closed: the orchestrator is done with us (or gone).
      std::fflush(stderr);
      std::_Exit(0);
    }
    std::string line = buf_.substr(0, n - 1);
    buf_.erase(0, n);
    if (!line.empty()) dispatch(line);
    readLine();
  });
}

void ControlChannel::dispatch(const std::string& line) {
  boost::system::error_code ec;
  json::value v = json::parse(line, ec);
  if (ec || !v.is_object()) {
    std::fprintf(stderr, "aerie-loadgen: bad control line: %.200s\n", line.c_str());
    return;
  }
  json::object m = std::move(v.as_object());
  json::value id = m.contains("id") ? m["id"] : json::value(nullptr);
  std::string cmd = stringArg(m, "cmd");
  auto spawn = [this, id](asio::awaitable<json::object> work) {
    asio::co_spawn(io_, std::move(work), [this, id](std::exception_ptr e, json::object result) {
      if (e) {
        try {
          std::rethrow_exception(e);
        } catch (const std::exception& x) {
          result = json::object{{"failed", x.what()}};
        }
      }
      reply(id, std::move(result));
    });
  };
  try {
    if (cmd == "init") return reply(id, init(m));
    if (cmd == "status") return reply(id, gen_.status());
    if (cmd == "join") return spawn(gen_.join(numberArg(m, "rate", 100)));
    if (cmd == "negotiate") return spawn(gen_.negotiate(numberArg(m, "rate", 2000)));
    if (cmd == "traffic") {
      return spawn(gen_.traffic(numberArg(m, "durationMs", 1000), numberArg(m, "candidateRate", 0), numberArg(m, "publicRate", 0)));
    }
    if (cmd == "leave") return spawn(gen_.leave());
    reply(id, json::object{{"failed", "unknown command '" + cmd + "'"}});
  } catch (const std::exception& x) {
    reply(id, json::object{{"failed", x.what()}});
  }
}

// {target, host, port, appKey, peers: [{idx, room, mates}], sources: [ip...]}
json::object ControlChannel::init(const json::object& m) {
  std::string targetName = stringArg(m, "target");
  Target target;
  if (targetName == "aerie") target = Target::Aerie;
  else if (targetName == "sio") target = Target::Sio;
  else throw std::runtime_error("init: target '" + targetName + "' is not supported by aerie-loadgen (aerie, sio)");
  std::string why;
  double port = numberArg(m, "port", 0);
  auto server = LoopbackUrl::fromHostPort(stringArg(m, "host"), static_cast<std::uint16_t>(port > 0 && port < 65536 ? port : 0), why);
  if (!server) throw std::runtime_error("init: " + why);
  std::vector<PeerSpec> specs;
  if (const json::value* peers = m.if_contains("peers"); peers && peers->is_array()) {
    for (const json::value& p : peers->get_array()) {
      if (!p.is_object()) throw std::runtime_error("init: a peer is not an object");
      PeerSpec s;
      s.idx = static_cast<int>(numberArg(p.get_object(), "idx", -1));
      s.room = stringArg(p.get_object(), "room");
      if (s.idx < 0 || s.room.empty()) throw std::runtime_error("init: a peer needs idx and room");
      specs.push_back(std::move(s));
    }
  }
  std::vector<asio::ip::address_v4> sources;
  if (const json::value* src = m.if_contains("sources"); src && src->is_array()) {
    for (const json::value& s : src->get_array()) {
      if (!s.is_string()) throw std::runtime_error("init: a source is not a string");
      boost::system::error_code ec;
      auto a = asio::ip::make_address_v4(std::string(s.get_string()), ec);
      if (ec) throw std::runtime_error("init: bad source address " + std::string(s.get_string()));
      sources.push_back(a);
    }
  }
  if (sources.empty()) sources = sourceBlock(sourceBlock_, specs.size());
  return gen_.init(target, *server, stringArg(m, "appKey"), std::move(specs), std::move(sources));
}

void ControlChannel::reply(json::value id, json::object result) {
  gen_.addCommon(result);
  result["id"] = std::move(id);
  writeAll(json::serialize(result) + "\n");
}

}  // namespace loadgen
