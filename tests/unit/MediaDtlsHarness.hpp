#pragma once
// In-process DTLS peers for the media tests: two DtlsTransports joined by queues, and a plain
// OpenSSL client (no aerie code) to check DtlsTransport against OpenSSL itself.
#include <openssl/err.h>
#include <openssl/ssl.h>

#include <deque>
#include <functional>
#include <string>
#include <vector>

#include "media/DtlsTransport.hpp"

namespace aerie::test {

using Bytes = std::vector<std::uint8_t>;

struct DtlsEndpoint : DtlsTransport::Listener {
  std::deque<Bytes> outbox;
  std::vector<DtlsTransport::State> states;
  std::vector<std::string> received;

  void onDtlsSend(std::span<const std::uint8_t> d) override {
    outbox.emplace_back(d.begin(), d.end());
  }
  void onDtlsStateChanged(DtlsTransport::State s) override { states.push_back(s); }
  void onDtlsData(std::span<const std::uint8_t> d) override {
    received.emplace_back(d.begin(), d.end());
  }
};

// Two transports with their own certificates, each expecting the other's fingerprint.
struct DtlsPair {
  Limits limits;
  std::shared_ptr<const DtlsCertificate> clientCert = DtlsCertificate::generate();
  std::shared_ptr<const DtlsCertificate> serverCert = DtlsCertificate::generate();
  DtlsEndpoint clientEnd, serverEnd;
  DtlsTransport client;
  DtlsTransport server;
  // Return false to lose a datagram on the way (fromClient says which way it goes).
  std::function<bool(bool fromClient, const Bytes&)> deliver = [](bool, const Bytes&) {
    return true;
  };

  explicit DtlsPair(std::string serverFingerprintForClient = {},
                    std::string clientFingerprintForServer = {})
      : client(DtlsTransport::Role::Client, clientCert,
               serverFingerprintForClient.empty() ? serverCert->fingerprint()
                                                  : serverFingerprintForClient,
               limits, clientEnd),
        server(DtlsTransport::Role::Server, serverCert,
               clientFingerprintForServer.empty() ? clientCert->fingerprint()
                                                  : clientFingerprintForServer,
               limits, serverEnd) {}

  // Moves datagrams both ways until neither side has anything to say.
  void pump() {
    for (int rounds = 0; rounds < 100 && (!clientEnd.outbox.empty() || !serverEnd.outbox.empty());
         ++rounds) {
      while (!clientEnd.outbox.empty()) {
        Bytes d = std::move(clientEnd.outbox.front());
        clientEnd.outbox.pop_front();
        if (deliver(true, d)) server.feed(d);
      }
      while (!serverEnd.outbox.empty()) {
        Bytes d = std::move(serverEnd.outbox.front());
        serverEnd.outbox.pop_front();
        if (deliver(false, d)) client.feed(d);
      }
    }
  }

  bool handshake(DtlsTransport::Clock::time_point now = {}) {
    server.start(now);
    client.start(now);
    pump();
    return client.state() == DtlsTransport::State::Connected &&
           server.state() == DtlsTransport::State::Connected;
  }
};

// A DTLS 1.2 client straight on OpenSSL with memory BIOs: what it writes between two reads
// leaves as one datagram.
class PlainDtlsClient {
 public:
  PlainDtlsClient(const char* srtpProfiles, const DtlsCertificate& cert) {
    ctx_ = SSL_CTX_new(DTLS_client_method());
    SSL_CTX_use_certificate(ctx_, cert.x509());
    SSL_CTX_use_PrivateKey(ctx_, cert.key());
    SSL_CTX_set_tlsext_use_srtp(ctx_, srtpProfiles);
    SSL_CTX_set_verify(ctx_, SSL_VERIFY_PEER, [](int, X509_STORE_CTX*) { return 1; });
    ssl_ = SSL_new(ctx_);
    in_ = BIO_new(BIO_s_mem());
    out_ = BIO_new(BIO_s_mem());
    BIO_set_mem_eof_return(in_, -1);
    SSL_set_bio(ssl_, in_, out_);
    SSL_set_connect_state(ssl_);
  }
  ~PlainDtlsClient() {
    SSL_free(ssl_);
    SSL_CTX_free(ctx_);
  }

  // Feeds one datagram (or none) and returns what the client wrote in reply.
  Bytes step(const Bytes& in = {}) {
    if (!in.empty()) BIO_write(in_, in.data(), static_cast<int>(in.size()));
    if (SSL_do_handshake(ssl_) == 1) connected_ = true;
    ERR_clear_error();
    Bytes out(BIO_ctrl_pending(out_));
    if (!out.empty()) BIO_read(out_, out.data(), static_cast<int>(out.size()));
    return out;
  }

  bool connected() const { return connected_; }
  SSL* ssl() const { return ssl_; }

  // The client's half of the RFC 5764 key material, key then salt.
  Bytes clientKeySalt(std::size_t keyLength, std::size_t saltLength) const {
    Bytes m(2 * (keyLength + saltLength));
    static const char kLabel[] = "EXTRACTOR-dtls_srtp";
    SSL_export_keying_material(ssl_, m.data(), m.size(), kLabel, sizeof kLabel - 1, nullptr, 0, 0);
    Bytes out(m.begin(), m.begin() + static_cast<long>(keyLength));
    out.insert(out.end(), m.begin() + static_cast<long>(2 * keyLength),
               m.begin() + static_cast<long>(2 * keyLength + saltLength));
    return out;
  }

 private:
  SSL_CTX* ctx_ = nullptr;
  SSL* ssl_ = nullptr;
  BIO* in_ = nullptr;
  BIO* out_ = nullptr;
  bool connected_ = false;
};

// A server DtlsTransport completes a handshake with a PlainDtlsClient; returns the client.
inline bool handshakeWithPlainClient(PlainDtlsClient& client, DtlsTransport& server,
                                     DtlsEndpoint& serverEnd) {
  server.start({});
  Bytes toServer = client.step();
  for (int i = 0;
       i < 20 && !(client.connected() && server.state() == DtlsTransport::State::Connected); ++i) {
    if (!toServer.empty()) server.feed(toServer);
    Bytes toClient;
    while (!serverEnd.outbox.empty()) {
      toClient.insert(toClient.end(), serverEnd.outbox.front().begin(),
                      serverEnd.outbox.front().end());
      serverEnd.outbox.pop_front();
    }
    toServer = client.step(toClient);
  }
  if (!toServer.empty()) server.feed(toServer);
  return client.connected() && server.state() == DtlsTransport::State::Connected;
}

}  // namespace aerie::test
