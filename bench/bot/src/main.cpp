// aerie-bot: native SkylinkJS 2.x clients for aerie's SFU, the load generator of the media bench
// (bench/sfu-bot.mjs) and a test client (tests/integration/bot.test.mjs). See BotOptions.cpp.
#include <boost/json/serialize.hpp>

#include <cstdio>
#include <exception>
#include <random>
#include <thread>

#include "BotLoop.hpp"
#include "BotReport.hpp"
#include "BotRun.hpp"
#include "Clock.hpp"

using namespace aerie::bot;

int main(int argc, char** argv) {
  int exitCode = 0;
  auto options = BotOptions::parse(argc, argv, exitCode);
  if (!options) return exitCode;
  std::string why;
  auto server = loadgen::LoopbackUrl::parse(options->api, why);
  if (!server) {
    std::fprintf(stderr, "aerie-bot: --api %s: %s\n", options->api.c_str(), why.c_str());
    return 2;
  }
  boost::system::error_code ec;
  const auto source = boost::asio::ip::make_address_v4(options->source, ec);
  if (ec || !loadgen::isLoopback(source)) {
    std::fprintf(stderr, "aerie-bot: --source %s is not a loopback address\n", options->source.c_str());
    return 2;
  }
  try {
    // SSRCs base + 0 .. base + 2N-1, random per run so that two bots on one server do not collide.
    std::mt19937 rng{std::random_device{}()};
    const std::uint32_t base = 0x10000000u + (rng() % 0xC0000000u);
    BotRun run(*options, *server, base);
    const unsigned total = options->rooms * options->peersPerRoom;
    const unsigned threads = std::min(options->threads, total);
    std::vector<std::unique_ptr<BotLoop>> loops;
    for (unsigned t = 0; t < threads; ++t) loops.push_back(std::make_unique<BotLoop>(run, source));
    const std::string tag = std::to_string(rng() % 1000000);
    for (unsigned i = 0; i < total; ++i) {
      const std::string room = options->roomPrefix + "-" + tag + "-" + std::to_string(i / options->peersPerRoom);
      loops[i % threads]->add(i, room, options->peersPerRoom);
    }
    for (auto& l : loops) l->start(std::chrono::milliseconds(10));

    using Clock = std::chrono::steady_clock;
    const auto deadline = Clock::now() + std::chrono::duration_cast<Clock::duration>(std::chrono::duration<double>(options->joinTimeout));
    while (Clock::now() < deadline && run.complete.load() + run.failed.load() < total) {
      std::this_thread::sleep_for(std::chrono::milliseconds(50));
    }
    if (run.complete.load() < total) {
      std::fprintf(stderr, "aerie-bot: %u of %u clients got media from every room mate (%u failed); measuring anyway\n",
                   run.complete.load(), total, run.failed.load());
    }
    std::this_thread::sleep_for(std::chrono::duration<double>(options->warmup));
    const double cpu0 = loadgen::cpuSeconds();
    const auto t0 = Clock::now();
    // For a bench driving the server: it samples the server when these lines appear.
    std::fprintf(stderr, "aerie-bot: window start\n");
    run.measuring = true;
    std::this_thread::sleep_for(std::chrono::duration<double>(options->seconds));
    run.measuring = false;
    std::fprintf(stderr, "aerie-bot: window end\n");
    BotReport::Window window;
    window.seconds = std::chrono::duration<double>(Clock::now() - t0).count();
    window.botCpuSeconds = loadgen::cpuSeconds() - cpu0;
    for (auto& l : loops) l->stop();

    std::vector<std::string> failures;
    const auto report = BotReport::build(run, loops, window, failures);
    std::printf("%s\n", boost::json::serialize(report).c_str());
    std::fflush(stdout);
    for (const auto& f : failures) std::fprintf(stderr, "aerie-bot: no media: %s\n", f.c_str());
    return failures.empty() ? 0 : 1;
  } catch (const std::exception& e) {
    std::fprintf(stderr, "aerie-bot: %s\n", e.what());
    return 2;
  }
}
