#pragma once
// A throwaway redis-server for one test: started on a free loopback port with no persistence
// (--save '' --appendonly no), killed by the destructor. Tests skip when the binary is absent
// (scripts/setup.sh --test installs it) and fail when it is present but does not start.
#include <arpa/inet.h>
#include <netinet/in.h>
#include <signal.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <cstdint>
#include <string>
#include <thread>
#include <vector>

namespace aerie::test {

class TestRedis {
 public:
  static constexpr const char* kBinary = "/usr/bin/redis-server";
  static bool installed() { return access(kBinary, X_OK) == 0; }

  // `password`: requirepass. `port` 0: a free one.
  explicit TestRedis(std::string password = {}, std::uint16_t port = 0) : password_(std::move(password)) {
    port_ = port != 0 ? port : freePort();
    start();
  }
  ~TestRedis() { stop(); }
  TestRedis(const TestRedis&) = delete;
  TestRedis& operator=(const TestRedis&) = delete;

  std::uint16_t port() const { return port_; }
  bool running() const { return pid_ > 0; }

  void start() {
    std::vector<std::string> args{kBinary, "--port", std::to_string(port_), "--bind", "127.0.0.1", "--save", "",
                                  "--appendonly", "no", "--daemonize", "no", "--loglevel", "warning"};
    if (!password_.empty()) {
      args.push_back("--requirepass");
      args.push_back(password_);
    }
    pid_ = fork();
    if (pid_ == 0) {
      std::vector<char*> argv;
      for (auto& a : args) argv.push_back(a.data());
      argv.push_back(nullptr);
      execv(kBinary, argv.data());
      _exit(127);
    }
    // Ready once it accepts a connection.
    for (int i = 0; i < 200; ++i) {
      if (accepts()) return;
      std::this_thread::sleep_for(std::chrono::milliseconds(10));
    }
  }
  void stop() {
    if (pid_ <= 0) return;
    kill(pid_, SIGKILL);
    waitpid(pid_, nullptr, 0);
    pid_ = -1;
  }
  void pause() { kill(pid_, SIGSTOP); }
  void resume() { kill(pid_, SIGCONT); }

  static std::uint16_t freePort() {
    int fd = socket(AF_INET, SOCK_STREAM, 0);
    sockaddr_in a{};
    a.sin_family = AF_INET;
    a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    bind(fd, reinterpret_cast<sockaddr*>(&a), sizeof a);
    socklen_t len = sizeof a;
    getsockname(fd, reinterpret_cast<sockaddr*>(&a), &len);
    close(fd);
    return ntohs(a.sin_port);
  }

 private:
  bool accepts() const {
    int fd = socket(AF_INET, SOCK_STREAM, 0);
    sockaddr_in a{};
    a.sin_family = AF_INET;
    a.sin_port = htons(port_);
    a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    const bool ok = connect(fd, reinterpret_cast<sockaddr*>(&a), sizeof a) == 0;
    close(fd);
    return ok;
  }

  std::string password_;
  std::uint16_t port_ = 0;
  pid_t pid_ = -1;
};

}  // namespace aerie::test
