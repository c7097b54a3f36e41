// Per-packet cost of SRTP protect and unprotect: libsrtp2 as the system builds it (Debian's is
// on NSS) against aerie's SrtpSession (OpenSSL: EVP AES-GCM, EVP AES-CTR with HMAC-SHA1), for
// 1,200-byte RTP packets, both profiles.
// "76 SSRCs" interleaves the packets of that many streams on one session, as a subscriber's
// transport carries them in a full SFU room (libsrtp looks streams up in a list). Also counts
// OpenSSL's allocations inside our timed loops (there should be none).
// Usage: aerie-srtp-bench [packets-per-case=200000]
#include <openssl/crypto.h>
#include <srtp2/srtp.h>

#include <time.h>

#include <array>
#include <atomic>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "media/SrtpSession.hpp"

namespace {

std::atomic<std::uint64_t> sslAllocations{0};
void* countedMalloc(std::size_t n, const char*, int) {
  sslAllocations.fetch_add(1, std::memory_order_relaxed);
  return std::malloc(n);
}
void* countedRealloc(void* p, std::size_t n, const char*, int) {
  sslAllocations.fetch_add(1, std::memory_order_relaxed);
  return std::realloc(p, n);
}
void countedFree(void* p, const char*, int) { std::free(p); }

constexpr std::size_t kPacket = 1200;
using Bytes = std::vector<std::uint8_t>;

// One packet's bytes, copied per packet as the SFU copies a forwarded packet per subscriber.
const std::array<std::uint8_t, kPacket>& payload() {
  static const auto bytes = [] {
    std::array<std::uint8_t, kPacket> b{};
    for (std::size_t i = 0; i < kPacket; ++i) b[i] = static_cast<std::uint8_t>(i);
    return b;
  }();
  return bytes;
}

void rtp(std::uint8_t* b, std::uint32_t ssrc, std::uint16_t seq) {
  std::memcpy(b, payload().data(), kPacket);
  b[0] = 0x90;  // with an extension, as browsers send
  b[1] = 96;
  b[2] = static_cast<std::uint8_t>(seq >> 8);
  b[3] = static_cast<std::uint8_t>(seq);
  std::memset(b + 4, 0x5A, 4);
  b[8] = static_cast<std::uint8_t>(ssrc >> 24);
  b[9] = static_cast<std::uint8_t>(ssrc >> 16);
  b[10] = static_cast<std::uint8_t>(ssrc >> 8);
  b[11] = static_cast<std::uint8_t>(ssrc);
  const std::uint8_t ext[8] = {0xBE, 0xDE, 0, 1, 0x10, 0xFF, 0, 0};
  std::memcpy(b + 12, ext, sizeof ext);
}

// This thread's CPU time: on a shared machine, time off the CPU does not count.
double cpuNs() {
  timespec t{};
  clock_gettime(CLOCK_THREAD_CPUTIME_ID, &t);
  return static_cast<double>(t.tv_sec) * 1e9 + static_cast<double>(t.tv_nsec);
}

struct Codec {
  virtual ~Codec() = default;
  virtual std::size_t protect(std::uint8_t* b, std::size_t n) = 0;
  virtual std::size_t unprotect(std::uint8_t* b, std::size_t n) = 0;
};

struct LibSrtp : Codec {
  srtp_t out = nullptr, in = nullptr;
  LibSrtp(bool gcm, const Bytes& key) {
    for (int dir = 0; dir < 2; ++dir) {
      srtp_policy_t p{};
      if (gcm) {
        srtp_crypto_policy_set_aes_gcm_128_16_auth(&p.rtp);
        srtp_crypto_policy_set_aes_gcm_128_16_auth(&p.rtcp);
      } else {
        srtp_crypto_policy_set_aes_cm_128_hmac_sha1_80(&p.rtp);
        srtp_crypto_policy_set_aes_cm_128_hmac_sha1_80(&p.rtcp);
      }
      p.ssrc.type = dir == 0 ? ssrc_any_outbound : ssrc_any_inbound;
      p.key = const_cast<unsigned char*>(key.data());
      p.window_size = 1024;
      p.allow_repeat_tx = 1;
      if (srtp_create(dir == 0 ? &out : &in, &p) != srtp_err_status_ok) std::abort();
    }
  }
  ~LibSrtp() override {
    srtp_dealloc(out);
    srtp_dealloc(in);
  }
  std::size_t protect(std::uint8_t* b, std::size_t n) override {
    int len = static_cast<int>(n);
    return srtp_protect(out, b, &len) == srtp_err_status_ok ? static_cast<std::size_t>(len) : 0;
  }
  std::size_t unprotect(std::uint8_t* b, std::size_t n) override {
    int len = static_cast<int>(n);
    return srtp_unprotect(in, b, &len) == srtp_err_status_ok ? static_cast<std::size_t>(len) : 0;
  }
};

struct Ours : Codec {
  std::unique_ptr<aerie::SrtpSession> s;
  Ours(aerie::SrtpProfile profile, const Bytes& key) : s(aerie::SrtpSession::create(profile, key, key)) {
    if (!s) std::abort();
  }
  std::size_t protect(std::uint8_t* b, std::size_t n) override {
    return s->protectRtp(std::span(b, n + 64), n).value_or(0);
  }
  std::size_t unprotect(std::uint8_t* b, std::size_t n) override {
    return s->unprotectRtp(std::span(b, n), n).value_or(0);
  }
};

// ns per packet for protect (the SFU's copy-then-protect of each forwarded packet) and for
// unprotect of what was protected, over `packets` packets spread over `ssrcs` streams.
void run(const char* name, const std::function<std::unique_ptr<Codec>()>& make, std::size_t packets,
         std::uint32_t ssrcs) {
  auto codec = make();
  std::vector<Bytes> templates(ssrcs, Bytes(kPacket + 64));
  std::vector<std::uint16_t> seqs(ssrcs, 0);
  // Protected packets kept for the unprotect pass (a ring: memory stays small).
  constexpr std::size_t kKept = 4096;
  std::vector<Bytes> wire(kKept, Bytes(kPacket + 64));
  std::vector<std::size_t> wireLength(kKept);
  Bytes buffer(kPacket + 64);
  const auto allocationsBefore = sslAllocations.load();
  const double t0 = cpuNs();
  for (std::size_t i = 0; i < packets; ++i) {
    const auto s = static_cast<std::uint32_t>(i % ssrcs);
    rtp(buffer.data(), 0x1000 + s * 7919, seqs[s]++);
    const std::size_t n = codec->protect(buffer.data(), kPacket);
    if (n == 0) std::abort();
    if (i % (packets / kKept + 1) == 0) {
      std::memcpy(wire[i % kKept].data(), buffer.data(), n);
      wireLength[i % kKept] = n;
    }
  }
  const double t1 = cpuNs();
  const auto protectAllocations = sslAllocations.load() - allocationsBefore;
  // Unprotect: a fresh receiver per pass over packets protected in order.
  std::size_t opened = 0;
  double unprotectNs = 0;
  std::uint64_t unprotectAllocations = 0;
  while (opened < packets) {
    auto rx = make();
    std::vector<std::uint16_t> rxSeqs(ssrcs, 0);
    std::vector<Bytes> batch;
    const std::size_t count = std::min<std::size_t>(kKept, packets - opened);
    batch.reserve(count);
    for (std::size_t i = 0; i < count; ++i) {
      const auto s = static_cast<std::uint32_t>(i % ssrcs);
      Bytes b(kPacket + 64);
      rtp(b.data(), 0x1000 + s * 7919, rxSeqs[s]++);
      b.resize(rx->protect(b.data(), kPacket));
      batch.push_back(std::move(b));
    }
    const auto before = sslAllocations.load();
    const double u0 = cpuNs();
    for (auto& b : batch) {
      if (rx->unprotect(b.data(), b.size()) != kPacket) std::abort();
    }
    unprotectNs += cpuNs() - u0;
    unprotectAllocations += sslAllocations.load() - before;
    opened += count;
  }
  const double protectNs = t1 - t0;
  std::printf("%-34s %4u SSRCs  protect %7.0f ns/pkt  unprotect %7.0f ns/pkt  OpenSSL allocations %llu/%llu\n", name,
              ssrcs, protectNs / packets, unprotectNs / packets,
              static_cast<unsigned long long>(protectAllocations), static_cast<unsigned long long>(unprotectAllocations));
}

}  // namespace

int main(int argc, char** argv) {
  // Before OpenSSL allocates anything.
  CRYPTO_set_mem_functions(countedMalloc, countedRealloc, countedFree);
  const std::size_t packets = argc > 1 ? std::strtoul(argv[1], nullptr, 10) : 200000;
  if (srtp_init() != srtp_err_status_ok) return 1;
  const Bytes gcmKey(28, 0x42), cmKey(30, 0x42);
  std::printf("%zu packets of %zu bytes per case; thread CPU time per packet\n", packets, kPacket);
  for (std::uint32_t ssrcs : {1u, 76u}) {
    run("libsrtp2 AEAD_AES_128_GCM", [&] { return std::make_unique<LibSrtp>(true, gcmKey); }, packets, ssrcs);
    run("libsrtp2 AES_CM_128_HMAC_SHA1_80", [&] { return std::make_unique<LibSrtp>(false, cmKey); }, packets, ssrcs);
    run("aerie AEAD_AES_128_GCM (EVP)", [&] { return std::make_unique<Ours>(aerie::SrtpProfile::AeadAes128Gcm, gcmKey); },
        packets, ssrcs);
    run("aerie AES_CM_128_HMAC_SHA1_80", [&] { return std::make_unique<Ours>(aerie::SrtpProfile::Aes128CmSha1_80, cmKey); },
        packets, ssrcs);
  }
  return 0;
}
