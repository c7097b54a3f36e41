// Time and process figures. Latencies use CLOCK_MONOTONIC (what std::chrono::steady_clock reads
// on Linux), in milliseconds as a double: the same clock in every process on this machine, so a
// stamp carried inside a message can be compared by any receiver.
#pragma once

#include <sys/resource.h>
#include <time.h>
#include <unistd.h>

#include <cstdio>

namespace loadgen {

inline double nowMs() {
  timespec ts{};
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return static_cast<double>(ts.tv_sec) * 1e3 + static_cast<double>(ts.tv_nsec) / 1e6;
}

// User + system CPU seconds of this process, all threads (getrusage).
inline double cpuSeconds() {
  rusage ru{};
  getrusage(RUSAGE_SELF, &ru);
  auto sec = [](const timeval& tv) { return static_cast<double>(tv.tv_sec) + static_cast<double>(tv.tv_usec) / 1e6; };
  return sec(ru.ru_utime) + sec(ru.ru_stime);
}

// Resident set size now, bytes (/proc/self/statm).
inline double rssBytes() {
  long pages = 0;
  long resident = 0;
  if (FILE* f = std::fopen("/proc/self/statm", "r")) {
    if (std::fscanf(f, "%ld %ld", &pages, &resident) != 2) resident = 0;
    std::fclose(f);
  }
  return static_cast<double>(resident) * static_cast<double>(sysconf(_SC_PAGESIZE));
}

}  // namespace loadgen
