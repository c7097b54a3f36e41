// bench.mjs drives a C++ worker the way it drives a bench/client.mjs one, over stdin/stdout
// instead of Node IPC: one JSON command a line in ({id, cmd, ...args}), one JSON reply a line out
// ({id, ...result, errors, errorKinds, closedEarly}, or {id, failed}). End of stdin ends the
// process (as a Node worker exits when its parent disconnects).
#pragma once

#include "Generator.hpp"

#include <boost/asio/io_context.hpp>
#include <boost/asio/posix/stream_descriptor.hpp>
#include <boost/json/object.hpp>

#include <string>

namespace loadgen {

class ControlChannel {
 public:
  ControlChannel(boost::asio::io_context& io, Generator& gen, int sourceBlock);
  void start();

 private:
  void readLine();
  void dispatch(const std::string& line);
  void reply(boost::json::value id, boost::json::object result);
  boost::json::object init(const boost::json::object& m);

  boost::asio::io_context& io_;
  Generator& gen_;
  int sourceBlock_;
  boost::asio::posix::stream_descriptor in_;
  std::string buf_;
};

}  // namespace loadgen
