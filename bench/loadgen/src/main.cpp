// aerie-loadgen: the C++ load generator of bench/ (see bench/README.md). Single-threaded Asio,
// loopback only, bounded in count and time.
#include "ControlChannel.hpp"
#include "Generator.hpp"
#include "Options.hpp"
#include "Standalone.hpp"

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/steady_timer.hpp>

#include <sys/resource.h>

#include <csignal>
#include <cstdio>
#include <cstdlib>
#include <exception>

int main(int argc, char** argv) {
  using namespace loadgen;
  namespace asio = boost::asio;
  int exitCode = 0;
  auto opt = parseOptions(argc, argv, exitCode);
  if (!opt) return exitCode;

  std::signal(SIGPIPE, SIG_IGN);
  // Every peer is a socket: take the whole hard limit.
  rlimit rl{};
  if (getrlimit(RLIMIT_NOFILE, &rl) == 0 && rl.rlim_cur < rl.rlim_max) {
    rl.rlim_cur = rl.rlim_max;
    setrlimit(RLIMIT_NOFILE, &rl);
  }

  asio::io_context io(1);
  // The hard deadline: whatever happens, the process ends.
  asio::steady_timer deadline(io);
  deadline.expires_after(std::chrono::milliseconds(static_cast<long long>(opt->maxSeconds * 1000)));
  deadline.async_wait([&](boost::system::error_code ec) {
    if (ec) return;
    std::fprintf(stderr, "aerie-loadgen: --max-seconds %.0f reached, exiting\n", opt->maxSeconds);
    std::fflush(stdout);
    std::_Exit(3);
  });

  Generator gen(io);
  if (opt->control) {
    ControlChannel control(io, gen, opt->sourceBlock);
    control.start();
    io.run();
    return 0;
  }
  int result = 1;
  asio::co_spawn(io, runStandalone(gen, *opt), [&](std::exception_ptr e, int r) {
    if (e) {
      try {
        std::rethrow_exception(e);
      } catch (const std::exception& x) {
        std::fprintf(stderr, "aerie-loadgen: %s\n", x.what());
      }
      r = 2;
    }
    result = r;
    std::fflush(stdout);
    std::_Exit(result);
  });
  io.run();
  return result;
}
