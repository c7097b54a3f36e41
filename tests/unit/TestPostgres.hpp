#pragma once
// The PostgreSQL the unit tests use. ctest starts one cluster for all of them (the
// `postgres_start` fixture in CMakeLists.txt, which sets AERIE_TEST_PG_HOST to its socket
// directory); run by hand, the test binary starts one for itself with
// scripts/pg-test-cluster.sh and stops it at exit. Each test takes a new database.
// Tests skip only when the PostgreSQL binaries are absent; a cluster that fails to start fails
// them (AERIE_REQUIRE_POSTGRES).
#include <unistd.h>

#include <cstdio>
#include <cstdlib>
#include <memory>
#include <string>

#include "core/Crypto.hpp"
#include "storage/PgConnection.hpp"

#ifndef AERIE_SOURCE_DIR
#error "AERIE_SOURCE_DIR must name the source tree (CMakeLists.txt sets it)"
#endif

namespace aerie::test {

class TestPostgres {
 public:
  static TestPostgres& instance() {
    static TestPostgres pg;
    return pg;
  }
  bool available() const { return !host_.empty(); }
  bool binariesMissing() const { return binariesMissing_; }
  const std::string& problem() const { return problem_; }

  std::string url(const std::string& database) const {
    return "postgresql:///" + database + "?host=" + host_ + "&user=aerie";
  }
  // A new, empty database; its URL.
  std::string newDatabase() {
    std::string name = "t_";
    for (unsigned char c : crypto::randomBytes(8)) {
      name += "0123456789abcdef"[c >> 4];
      name += "0123456789abcdef"[c & 15];
    }
    PgConnection admin(url("postgres"), 5000);
    admin.exec("CREATE DATABASE " + name, "create a test database");
    return url(name);
  }

  ~TestPostgres() {
    if (!ownDir_.empty()) run("stop " + ownDir_);
  }

 private:
  TestPostgres() {
    const char* bin = std::getenv("AERIE_PG_BIN");
    if (::access((std::string(bin ? bin : "/usr/lib/postgresql/15/bin") + "/initdb").c_str(), X_OK) != 0) {
      binariesMissing_ = true;
      problem_ = "no PostgreSQL binaries (apt-get install postgresql-15)";
      return;
    }
    if (const char* host = std::getenv("AERIE_TEST_PG_HOST"); host && *host) {
      host_ = host;
      return;
    }
    ownDir_ = "/tmp/aerie-pg-" + std::to_string(::getpid()) + "-" + crypto::randomToken(4);
    const int rc = run("start " + ownDir_ + " >/dev/null");
    if (rc == 0) {
      host_ = ownDir_;
    } else {
      binariesMissing_ = rc == 3;
      problem_ = rc == 3 ? "no PostgreSQL binaries (apt-get install postgresql-15)"
                         : "scripts/pg-test-cluster.sh start " + ownDir_ + " failed";
    }
  }
  static int run(const std::string& args) {
    const int status = std::system((std::string(AERIE_SOURCE_DIR) + "/scripts/pg-test-cluster.sh " + args).c_str());
    return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
  }

  std::string host_;
  std::string ownDir_;
  bool binariesMissing_ = false;
  std::string problem_;
};

}  // namespace aerie::test

// In a test body (or SetUp): skips the test, saying why, when the PostgreSQL binaries are
// absent; fails it when they are there but the cluster did not start.
#define AERIE_REQUIRE_POSTGRES()                                            \
  do {                                                                      \
    auto& pg_ = ::aerie::test::TestPostgres::instance();                    \
    if (pg_.binariesMissing()) GTEST_SKIP() << pg_.problem();               \
    if (!pg_.available()) FAIL() << pg_.problem();                          \
  } while (0)
