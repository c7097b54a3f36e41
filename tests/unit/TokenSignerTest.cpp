#include <gtest/gtest.h>

#include <map>
#include <stdexcept>

#include "core/Crypto.hpp"
#include "api/TokenSigner.hpp"
#include "storage/AppStore.hpp"

namespace aerie {
namespace {

TEST(TokenSignerTest, SignsHmacSha256OfFieldsJoinedByNewline) {
  const TokenSigner signer("server-secret");
  EXPECT_EQ(signer.sign({"a", "b", "c"}),
            crypto::base64UrlEncode(crypto::hmacSha256("server-secret", "a\nb\nc")));
}

TEST(TokenSignerTest, VerifiesOwnTokensOnly) {
  const TokenSigner signer("server-secret");
  const std::string t = signer.sign({"user", "room", "2026-11-25T10:00:00.000Z"});
  EXPECT_TRUE(signer.verify({"user", "room", "2026-11-25T10:00:00.000Z"}, t));
  EXPECT_FALSE(signer.verify({"user", "room", "2026-11-25T10:00:00.001Z"}, t));
  EXPECT_FALSE(signer.verify({"user", "room"}, t));
  EXPECT_FALSE(signer.verify({"user", "room", "2026-11-25T10:00:00.000Z"}, t + "x"));
  EXPECT_FALSE(signer.verify({"user", "room", "2026-11-25T10:00:00.000Z"}, ""));
  EXPECT_FALSE(TokenSigner("other-secret").verify({"user", "room", "2026-11-25T10:00:00.000Z"}, t));
}

TEST(TokenSignerTest, FieldsWithTheSeparatorNeverVerify) {
  const TokenSigner signer("s");
  const std::string t = signer.sign({"a", "b", "c"});
  // Same joined bytes, different split: must not be accepted.
  EXPECT_FALSE(signer.verify({"a\nb", "c", ""}, t));
  EXPECT_THROW(signer.sign({"a\nb"}), std::invalid_argument);
}

TEST(TokenSignerTest, RejectsEmptySecret) {
  EXPECT_THROW(TokenSigner(""), std::invalid_argument);
}

class MapStore : public AppStore {
 public:
  App create(const NewApp&, std::int64_t) override { return {}; }
  std::optional<App> findByKey(const std::string&) override { return std::nullopt; }
  std::vector<App> list() override { return {}; }
  bool revoke(const std::string&) override { return false; }
  bool setDomains(const std::string&, const std::vector<std::string>&) override { return false; }
  std::vector<App> listAliases(const std::string&) override { return {}; }
  std::optional<App> update(const std::string&, const AppUpdate&) override { return std::nullopt; }
  std::optional<std::string> rotateSecret(const std::string&) override { return std::nullopt; }
  void recordSession(const SessionRecord&) override {}
  UsageReport usage(const std::string&, std::int64_t, std::int64_t) override { return {}; }
  std::optional<std::string> setting(const std::string& n) override {
    auto it = settings.find(n);
    return it == settings.end() ? std::nullopt : std::optional<std::string>(it->second);
  }
  void setSetting(const std::string& n, const std::string& v) override { settings[n] = v; }
  std::map<std::string, std::string> settings;
};

TEST(TokenSignerTest, SecretPersistsInTheStore) {
  MapStore store;
  const std::string t = TokenSigner::fromStore(store).sign({"x"});
  EXPECT_EQ(store.settings.size(), 1u);
  // A restart reads the same secret: tokens issued before stay valid.
  EXPECT_TRUE(TokenSigner::fromStore(store).verify({"x"}, t));
  MapStore other;
  EXPECT_FALSE(TokenSigner::fromStore(other).verify({"x"}, t));
}

}  // namespace
}  // namespace aerie
