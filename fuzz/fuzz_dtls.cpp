// libFuzzer target: arbitrary datagrams on the media port. Each goes through PacketDemux; those
// it calls DTLS go into a server DtlsTransport (the SFU's side), which must never crash, read
// out of bounds or leave OpenSSL's error queue dirty, whatever the records say. The first input
// byte picks whether the server first gets a real ClientHello from an in-process client, so the
// fuzzer also reaches the states after the hello.
#include <openssl/err.h>

#include <cstddef>
#include <cstdint>
#include <memory>
#include <span>
#include <vector>

#include "codec/StunMessage.hpp"
#include "media/DtlsTransport.hpp"
#include "media/PacketDemux.hpp"

namespace {

struct Sink : aerie::DtlsTransport::Listener {
  std::vector<std::vector<std::uint8_t>> sent;
  void onDtlsSend(std::span<const std::uint8_t> d) override {
    sent.emplace_back(d.begin(), d.end());
  }
  void onDtlsStateChanged(aerie::DtlsTransport::State) override {}
  void onDtlsData(std::span<const std::uint8_t>) override {}
};

}  // namespace

namespace {
const aerie::Limits kLimits;
std::shared_ptr<const aerie::DtlsCertificate> gClientCert;
}  // namespace

// The certificates and their shared SSL contexts (made once per process, kept for its life)
// exist before the first input, so that the leak check of each input does not count them.
extern "C" int LLVMFuzzerInitialize(int*, char***) {
  gClientCert = aerie::DtlsCertificate::generate();
  Sink a, b;
  aerie::DtlsTransport server(aerie::DtlsTransport::Role::Server, aerie::DtlsCertificate::processWide(),
                              gClientCert->fingerprint(), kLimits, a);
  aerie::DtlsTransport client(aerie::DtlsTransport::Role::Client, gClientCert,
                              aerie::DtlsCertificate::processWide()->fingerprint(), kLimits, b);
  return 0;
}

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  if (size < 1) return 0;
  const aerie::Limits& limits = kLimits;
  const auto& clientCert = gClientCert;
  const auto& serverCert = aerie::DtlsCertificate::processWide();
  Sink serverSink, clientSink;
  aerie::DtlsTransport server(aerie::DtlsTransport::Role::Server, serverCert,
                              clientCert->fingerprint(), limits, serverSink);
  server.start({});
  if (data[0] & 1) {
    aerie::DtlsTransport client(aerie::DtlsTransport::Role::Client, clientCert,
                                serverCert->fingerprint(), limits, clientSink);
    client.start({});
    for (const auto& d : clientSink.sent) server.feed(d);
  }
  // The rest: datagrams, each after a two-byte length (up to 1500).
  std::size_t at = 1;
  while (at + 2 <= size) {
    const std::size_t wanted = (static_cast<std::size_t>(data[at]) << 8 | data[at + 1]) % 1501;
    const std::size_t length = std::min(wanted, size - at - 2);
    std::span<const std::uint8_t> datagram(data + at + 2, length);
    at += 2 + length;
    switch (aerie::PacketDemux::classify(datagram)) {
      case aerie::PacketKind::Dtls:
        server.feed(datagram);
        break;
      case aerie::PacketKind::Stun:
        (void)aerie::stun::StunCodec::parse(
            std::string_view(reinterpret_cast<const char*>(datagram.data()), datagram.size()));
        break;
      default:
        break;
    }
    server.tick({});
  }
  // Whatever the server answered must itself be DTLS to the demux.
  for (const auto& d : serverSink.sent) {
    if (aerie::PacketDemux::classify(d) != aerie::PacketKind::Dtls) __builtin_trap();
  }
  if (ERR_peek_error() != 0) __builtin_trap();
  return 0;
}
