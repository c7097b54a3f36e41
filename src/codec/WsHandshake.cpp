#include "codec/WsHandshake.hpp"

#include "core/Crypto.hpp"

namespace aerie {

namespace {

std::string_view trim(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t')) s.remove_suffix(1);
  return s;
}

}  // namespace

WsHandshake::Result WsHandshake::check(std::string_view version, std::string_view key) {
  if (trim(version) != "13") return Result::BadVersion;
  auto raw = crypto::base64Decode(trim(key));
  if (!raw || raw->size() != 16) return Result::BadKey;
  return Result::Ok;
}

std::string WsHandshake::acceptFor(std::string_view key) {
  std::string input(trim(key));
  input += "258EAFA5-E914-47DA-95CA-C5AB0DC85B11";
  return crypto::base64Encode(crypto::sha1(input));
}

std::string WsHandshake::response(std::string_view key) {
  return "HTTP/1.1 101 Switching Protocols\r\n"
         "Upgrade: websocket\r\n"
         "Connection: Upgrade\r\n"
         "Sec-WebSocket-Accept: " +
         acceptFor(key) +
         "\r\n"
         "Server: aerie\r\n\r\n";
}

std::string WsHandshake::refusal(Result r) {
  if (r == Result::BadVersion) {
    return "HTTP/1.1 426 Upgrade Required\r\nSec-WebSocket-Version: 13\r\nServer: aerie\r\n"
           "Content-Length: 0\r\nConnection: close\r\n\r\n";
  }
  return "HTTP/1.1 400 Bad Request\r\nServer: aerie\r\nContent-Length: 0\r\nConnection: "
         "close\r\n\r\n";
}

}  // namespace aerie
