#pragma once
// The command line of aerie-bot.
#include <optional>
#include <string>

#include "VideoFormat.hpp"

namespace aerie::bot {

struct BotOptions {
  std::string api;  // http://127.0.0.1:PORT (loopback only)
  std::string appKey;
  unsigned rooms = 1;
  unsigned peersPerRoom = 3;
  double seconds = 10;      // the measuring window, after every client got media
  double joinTimeout = 30;  // seconds for every client to get media from every room mate
  double warmup = 1;        // seconds between "all got media" and the window
  VideoFormat video;
  double clipSeconds = 5;   // length of the encoded clips the publishers loop over
  unsigned threads = 1;
  bool decode = false;
  bool simulcast = false;  // video in three layers (rids q, h, f)
  bool record = false;     // the first client of each room starts a recording of it
  std::string roomPrefix = "bot";
  std::string source = "127.0.0.1";  // local address of the clients' sockets

  // nullopt with a message on stderr (and exit code 2), or the usage and exit code 0.
  static std::optional<BotOptions> parse(int argc, char** argv, int& exitCode);
};

}  // namespace aerie::bot
