#pragma once
// One server-side TLS connection driven without a socket: ciphertext in, plaintext out and the
// reverse. OpenSSL runs the handshake, through a BIO that reads from the caller's buffer and
// writes into output(); then TlsRecordLayer takes the connection over with the handshake's
// keys and the SSL object is freed, so an idle connection keeps its keys (a few hundred bytes)
// rather than an SSL object (about 13 KiB) or a BIO pair's two 17 KiB buffers. A suite the
// record layer does not carry stays on OpenSSL. Never throws on wire data.
#include <cstddef>
#include <optional>
#include <string>
#include <string_view>

#include "tls/TlsRecordLayer.hpp"

typedef struct ssl_st SSL;
typedef struct bio_st BIO;
typedef struct bio_method_st BIO_METHOD;

namespace aerie {

class TlsContext;

class TlsEngine {
 public:
  enum class State {
    Handshaking,  // waiting for the client's flights
    Open,         // application data flows
    Closed,       // close_notify received
    Failed,       // a fatal alert was sent or received; the connection must end
  };

  explicit TlsEngine(const TlsContext& context);
  TlsEngine(const TlsEngine&) = delete;
  TlsEngine& operator=(const TlsEngine&) = delete;
  ~TlsEngine();

  // Takes every byte of `cipher`: handshake messages are answered into output(), application
  // data is appended to `plain`. Returns the state after it.
  State feed(std::string_view cipher, std::string& plain);
  // Encrypts `plain` into output(). False once the connection cannot carry data.
  bool write(std::string_view plain);
  // Queues close_notify into output().
  void close();

  // Ciphertext to send, in order. The caller takes it (swap or clear) before the next call.
  std::string& output() { return output_; }
  State state() const { return state_; }
  // OpenSSL's reason for Failed, for logs.
  const std::string& error() const { return error_; }
  // True once the handshake is done and OpenSSL's SSL object is gone.
  bool ownRecordLayer() const { return records_.has_value(); }

  // OpenSSL's key log callback (TlsContext installs it): keeps the TLS 1.3 traffic secrets of
  // the engine's own handshake for the record layer. Nothing is written anywhere.
  static void onKeyLog(const SSL* ssl, const char* line);

 private:
  static int bioWrite(BIO* bio, const char* data, int size);
  static int bioRead(BIO* bio, char* data, int size);
  static long bioCtrl(BIO* bio, int cmd, long num, void* ptr);
  static BIO_METHOD* method();
  void fail();
  void takeOver();

  SSL* ssl_ = nullptr;
  State state_ = State::Handshaking;
  const char* in_ = nullptr;  // the unread rest of feed()'s input, only during feed()
  std::size_t inSize_ = 0;
  std::string output_;
  std::string error_;
  std::optional<TlsHandshakeSecrets> secrets_;  // during the handshake only
  std::optional<TlsRecordLayer> records_;       // after it
};

}  // namespace aerie
