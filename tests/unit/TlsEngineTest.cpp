// TlsEngine against an in-process OpenSSL client over memory BIOs: handshake, data both ways
// in records split at every size, close_notify, garbage, and the memory an idle one keeps.
#include "tls/TlsEngine.hpp"

#include <gtest/gtest.h>
#include <openssl/bio.h>
#include <openssl/err.h>
#include <openssl/ssl.h>

#include <filesystem>
#include <string>

#include "tls/SelfSignedCertificate.hpp"
#include "tls/TlsContext.hpp"

namespace aerie {
namespace {

namespace fs = std::filesystem;

class TlsEngineTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    dir_ = new fs::path(fs::temp_directory_path() / ("aerie-tls-" + std::to_string(::getpid())));
    fs::create_directories(*dir_);
    SelfSignedCertificate::ensure((*dir_ / "cert.pem").string(), (*dir_ / "key.pem").string(),
                                  {"localhost"}, {"127.0.0.1"});
    context_ = new TlsContext((*dir_ / "cert.pem").string(), (*dir_ / "key.pem").string());
  }
  static void TearDownTestSuite() {
    delete context_;
    fs::remove_all(*dir_);
    delete dir_;
  }

  // An OpenSSL client whose network side is a pair of memory BIOs.
  struct Client {
    explicit Client(int maxVersion = TLS1_3_VERSION, const char* suites = nullptr) {
      ctx = SSL_CTX_new(TLS_client_method());
      SSL_CTX_set_max_proto_version(ctx, maxVersion);
      if (suites != nullptr && maxVersion == TLS1_3_VERSION) SSL_CTX_set_ciphersuites(ctx, suites);
      if (suites != nullptr && maxVersion == TLS1_2_VERSION) SSL_CTX_set_cipher_list(ctx, suites);
      SSL_CTX_set_verify(ctx, SSL_VERIFY_NONE, nullptr);
      ssl = SSL_new(ctx);
      in = BIO_new(BIO_s_mem());
      out = BIO_new(BIO_s_mem());
      SSL_set_bio(ssl, in, out);
      SSL_set_connect_state(ssl);
    }
    ~Client() {
      SSL_free(ssl);
      SSL_CTX_free(ctx);
    }
    std::string pending() {  // what the client wants on the wire
      std::string s(static_cast<std::size_t>(BIO_ctrl_pending(out)), '\0');
      if (!s.empty()) BIO_read(out, s.data(), static_cast<int>(s.size()));
      return s;
    }
    void deliver(const std::string& cipher) {
      BIO_write(in, cipher.data(), static_cast<int>(cipher.size()));
    }
    std::string readAll() {
      std::string plain;
      char buf[4096];
      for (;;) {
        int r = SSL_read(ssl, buf, sizeof buf);
        if (r <= 0) break;
        plain.append(buf, static_cast<std::size_t>(r));
      }
      ERR_clear_error();
      return plain;
    }
    SSL_CTX* ctx;
    SSL* ssl;
    BIO* in;
    BIO* out;
  };

  // Runs the handshake to completion; each flight crosses in one piece.
  static void handshake(Client& c, TlsEngine& e) {
    std::string plain;
    for (int i = 0; i < 10 && (SSL_is_init_finished(c.ssl) == 0 || e.state() == TlsEngine::State::Handshaking); ++i) {
      SSL_do_handshake(c.ssl);
      e.feed(c.pending(), plain);
      c.deliver(std::exchange(e.output(), {}));
    }
    ASSERT_EQ(e.state(), TlsEngine::State::Open);
    ASSERT_EQ(SSL_is_init_finished(c.ssl), 1);
    EXPECT_TRUE(plain.empty());
    EXPECT_TRUE(e.ownRecordLayer()) << "the SSL object is freed after the handshake";
  }

  // Both directions carry data, several records each way.
  static void exchange(Client& c, TlsEngine& e) {
    for (std::size_t size : {1u, 300u, 16384u, 40000u}) {
      const std::string up(size, 'u');
      ASSERT_EQ(SSL_write(c.ssl, up.data(), static_cast<int>(up.size())), static_cast<int>(up.size()));
      std::string plain;
      ASSERT_EQ(e.feed(c.pending(), plain), TlsEngine::State::Open);
      EXPECT_EQ(plain, up);
      ASSERT_TRUE(e.write(std::string(size, 'd')));
      c.deliver(std::exchange(e.output(), {}));
      EXPECT_EQ(c.readAll(), std::string(size, 'd'));
    }
  }

  static fs::path* dir_;
  static TlsContext* context_;
};

fs::path* TlsEngineTest::dir_ = nullptr;
TlsContext* TlsEngineTest::context_ = nullptr;

TEST_F(TlsEngineTest, HandshakeThenDataBothWaysOverTls13And12) {
  for (int version : {TLS1_3_VERSION, TLS1_2_VERSION}) {
    Client c(version);
    TlsEngine e(*context_);
    handshake(c, e);
    EXPECT_EQ(SSL_version(c.ssl), version);
    const std::string hello = "GET /socket.io/?EIO=3&transport=websocket HTTP/1.1\r\n\r\n";
    ASSERT_EQ(SSL_write(c.ssl, hello.data(), static_cast<int>(hello.size())), static_cast<int>(hello.size()));
    std::string plain;
    EXPECT_EQ(e.feed(c.pending(), plain), TlsEngine::State::Open);
    EXPECT_EQ(plain, hello);
    EXPECT_TRUE(e.write("HTTP/1.1 101 Switching Protocols\r\n\r\n"));
    EXPECT_TRUE(e.write(std::string(40000, 'x')));  // several records
    c.deliver(std::exchange(e.output(), {}));
    EXPECT_EQ(c.readAll(), "HTTP/1.1 101 Switching Protocols\r\n\r\n" + std::string(40000, 'x'));
  }
}

// Every suite TlsContext allows, in both versions, runs on aerie's own record layer.
TEST_F(TlsEngineTest, EverySuiteOfBothVersionsOnTheOwnRecordLayer) {
  for (const char* suite : {"TLS_AES_128_GCM_SHA256", "TLS_AES_256_GCM_SHA384", "TLS_CHACHA20_POLY1305_SHA256"}) {
    Client c(TLS1_3_VERSION, suite);
    TlsEngine e(*context_);
    handshake(c, e);
    EXPECT_STREQ(SSL_CIPHER_get_name(SSL_get_current_cipher(c.ssl)), suite);
    exchange(c, e);
  }
  for (const char* suite : {"ECDHE-ECDSA-AES128-GCM-SHA256", "ECDHE-ECDSA-AES256-GCM-SHA384",
                            "ECDHE-ECDSA-CHACHA20-POLY1305"}) {
    Client c(TLS1_2_VERSION, suite);
    TlsEngine e(*context_);
    handshake(c, e);
    EXPECT_STREQ(SSL_CIPHER_get_name(SSL_get_current_cipher(c.ssl)), suite);
    exchange(c, e);
  }
}

// Application data that rides with the client's Finished (one TCP read) is not lost. (TLS 1.3;
// in TLS 1.2 only a False Start client does that, which OpenSSL's client cannot be.)
TEST_F(TlsEngineTest, DataInTheSameReadAsTheClientFinished) {
  for (int version : {TLS1_3_VERSION}) {
    Client c(version);
    TlsEngine e(*context_);
    std::string plain;
    SSL_do_handshake(c.ssl);
    e.feed(c.pending(), plain);
    c.deliver(std::exchange(e.output(), {}));
    ASSERT_EQ(SSL_do_handshake(c.ssl), 1);  // the client is done; its Finished is pending
    SSL_write(c.ssl, "GET / HTTP/1.1\r\n\r\n", 18);
    EXPECT_EQ(e.feed(c.pending(), plain), TlsEngine::State::Open);
    EXPECT_EQ(plain, "GET / HTTP/1.1\r\n\r\n");
    EXPECT_TRUE(e.ownRecordLayer());
    exchange(c, e);
  }
}

// TLS 1.3 KeyUpdate from the client: the engine follows it, and answers one that asks.
TEST_F(TlsEngineTest, KeyUpdatesFromTheClient) {
  for (int kind : {SSL_KEY_UPDATE_NOT_REQUESTED, SSL_KEY_UPDATE_REQUESTED}) {
    Client c;
    TlsEngine e(*context_);
    handshake(c, e);
    for (int round = 0; round < 3; ++round) {
      ASSERT_EQ(SSL_key_update(c.ssl, kind), 1);
      ASSERT_EQ(SSL_write(c.ssl, "after", 5), 5);  // the KeyUpdate goes out with this write
      std::string plain;
      ASSERT_EQ(e.feed(c.pending(), plain), TlsEngine::State::Open);
      EXPECT_EQ(plain, "after");
      ASSERT_TRUE(e.write("reply"));
      c.deliver(std::exchange(e.output(), {}));
      EXPECT_EQ(c.readAll(), "reply") << "round " << round;
    }
  }
}

// A flipped bit, a record over the size limit, a record type the connection cannot take: each
// fails the connection, and no unauthenticated byte comes out.
TEST_F(TlsEngineTest, TamperedOrOversizedRecordsFail) {
  for (int version : {TLS1_3_VERSION, TLS1_2_VERSION}) {
    {
      Client c(version);
      TlsEngine e(*context_);
      handshake(c, e);
      SSL_write(c.ssl, "secret", 6);
      std::string wire = c.pending();
      wire[wire.size() - 3] ^= 1;
      std::string plain;
      EXPECT_EQ(e.feed(wire, plain), TlsEngine::State::Failed);
      EXPECT_TRUE(plain.empty());
      EXPECT_FALSE(e.write("x"));
    }
    {
      Client c(version);
      TlsEngine e(*context_);
      handshake(c, e);
      std::string plain;
      EXPECT_EQ(e.feed(std::string("\x17\x03\x03\x48\x01", 5), plain), TlsEngine::State::Failed);
    }
    {
      Client c(version);
      TlsEngine e(*context_);
      handshake(c, e);
      std::string plain;
      // A handshake record in the clear (a renegotiation or a stray ClientHello).
      EXPECT_EQ(e.feed(std::string("\x16\x03\x03\x00\x20", 5) + std::string(32, 'h'), plain),
                TlsEngine::State::Failed);
    }
  }
}

TEST_F(TlsEngineTest, CiphertextMayArriveInPiecesOfAnySize) {
  Client c;
  TlsEngine e(*context_);
  handshake(c, e);
  std::string message(3000, 'm');
  for (int i = 0; i < 5; ++i) SSL_write(c.ssl, message.data(), static_cast<int>(message.size()));
  const std::string cipher = c.pending();
  for (std::size_t step : {1u, 7u, 512u, 5000u}) {
    Client c2;
    TlsEngine e2(*context_);
    handshake(c2, e2);
    for (int i = 0; i < 5; ++i) SSL_write(c2.ssl, message.data(), static_cast<int>(message.size()));
    const std::string wire = c2.pending();
    std::string plain;
    for (std::size_t at = 0; at < wire.size(); at += step) {
      ASSERT_EQ(e2.feed(std::string_view(wire).substr(at, step), plain), TlsEngine::State::Open);
    }
    EXPECT_EQ(plain.size(), 5 * message.size()) << "step " << step;
  }
  std::string plain;
  e.feed(cipher, plain);
  EXPECT_EQ(plain.size(), 5 * message.size());
}

TEST_F(TlsEngineTest, CloseNotifyEndsAndCloseAnswers) {
  Client c;
  TlsEngine e(*context_);
  handshake(c, e);
  SSL_shutdown(c.ssl);
  std::string plain;
  EXPECT_EQ(e.feed(c.pending(), plain), TlsEngine::State::Closed);
  e.close();
  EXPECT_FALSE(e.output().empty());  // our close_notify
  EXPECT_FALSE(e.write("late"));
}

TEST_F(TlsEngineTest, GarbageFailsWithAnAlertAndNeverThrows) {
  for (const std::string& junk : {std::string("GET / HTTP/1.1\r\n\r\n"), std::string(1000, '\x16'),
                                 std::string("\x16\x03\x01\x00\x05hello", 10)}) {
    TlsEngine e(*context_);
    std::string plain;
    auto state = e.feed(junk, plain);
    EXPECT_TRUE(state == TlsEngine::State::Failed || state == TlsEngine::State::Handshaking);
    EXPECT_TRUE(plain.empty());
    if (state == TlsEngine::State::Failed) {
      EXPECT_FALSE(e.error().empty());
      EXPECT_EQ(e.feed("more", plain), TlsEngine::State::Failed);
      EXPECT_FALSE(e.write("x"));
    }
  }
  // Garbage after a good handshake: a bad record fails the connection.
  Client c;
  TlsEngine e(*context_);
  handshake(c, e);
  std::string plain;
  EXPECT_EQ(e.feed(std::string("\x17\x03\x03\x00\x20", 5) + std::string(32, 'z'), plain),
            TlsEngine::State::Failed);
  EXPECT_TRUE(plain.empty());
}

}  // namespace
}  // namespace aerie
