#include <gtest/gtest.h>

#include "api/OriginPolicy.hpp"

namespace aerie {
namespace {

struct Case {
  std::vector<std::string> domains;
  const char* request;
  bool allowed;
};

TEST(OriginPolicyTest, Table) {
  const std::vector<std::string> exact{"example.com"};
  const std::vector<std::string> wild{"*.example.com"};
  const std::vector<std::string> any{"*"};
  const std::vector<std::string> local{"localhost"};
  const Case cases[] = {
      // exact host, any scheme or port, any case
      {exact, "https://example.com", true},
      {exact, "http://example.com:8080", true},
      {exact, "HTTPS://EXAMPLE.COM", true},
      {exact, "example.com", true},
      {exact, "example.com:443", true},
      {exact, "example.com.", true},
      {exact, "https://www.example.com", false},
      {exact, "https://example.com.evil.net", false},
      {exact, "https://notexample.com", false},
      {exact, "https://example.co", false},
      {{"Example.COM"}, "https://example.com", true},
      {{"https://example.com:8443"}, "http://example.com", true},
      // wildcard: subdomains at any depth, not the apex
      {wild, "https://sub.example.com", true},
      {wild, "https://a.b.example.com:8443", true},
      {wild, "https://example.com", false},
      {wild, "https://badexample.com", false},
      {wild, "https://.example.com", false},
      {wild, "https://example.com.evil.net", false},
      // `*` matches anything well formed, even `null`
      {any, "https://anything.test", true},
      {any, "null", true},
      {any, "https://a b.test", false},
      // localhost covers the loopback addresses
      {local, "http://localhost:3000", true},
      {local, "http://127.0.0.1:8080", true},
      {local, "http://[::1]:8080", true},
      {local, "[::1]:8080", true},
      {local, "127.0.0.1", true},
      {local, "http://127.0.0.2", false},
      {local, "http://localhost.evil.net", false},
      // null never matches a named domain
      {exact, "null", false},
      {local, "null", false},
      // IDNs compare in their punycode form, as browsers send them
      {{"xn--bcher-kva.example"}, "https://XN--BCHER-KVA.example", true},
      {{"xn--bcher-kva.example"}, "https://bücher.example", false},
      // malformed origins
      {exact, "", false},
      {exact, "https://", false},
      {exact, "https://example.com/", false},
      {exact, "https://example.com/path", false},
      {exact, "https://user@example.com", false},
      {exact, "https://example.com:", false},
      {exact, "https://example.com:99999", false},
      {exact, "https://example.com:8a", false},
      {exact, "1https://example.com", false},
      {exact, "https://example..com", false},
      {exact, "https://exa mple.com", false},
      {exact, "https://example.com\r\nX: y", false},
      {local, "http://[::1", false},
      {local, "http://[::1]x", false},
      // no domains: nothing
      {{}, "https://example.com", false},
  };
  for (const auto& c : cases) {
    EXPECT_EQ(OriginPolicy::allows(c.domains, c.request), c.allowed)
        << c.request << " against " << (c.domains.empty() ? "(none)" : c.domains[0]);
  }
}

TEST(OriginPolicyTest, SeveralPatterns) {
  const std::vector<std::string> domains{"a.test", "*.b.test", "localhost"};
  EXPECT_TRUE(OriginPolicy::allows(domains, "https://a.test"));
  EXPECT_TRUE(OriginPolicy::allows(domains, "https://x.b.test"));
  EXPECT_TRUE(OriginPolicy::allows(domains, "http://localhost"));
  EXPECT_FALSE(OriginPolicy::allows(domains, "https://b.test"));
}

TEST(OriginPolicyTest, HostOf) {
  EXPECT_EQ(OriginPolicy::hostOf("https://A.Example.com:8443"), "a.example.com");
  EXPECT_EQ(OriginPolicy::hostOf("[::1]:80"), "::1");
  EXPECT_EQ(OriginPolicy::hostOf("::1"), "::1");
  EXPECT_FALSE(OriginPolicy::hostOf("null"));
}

TEST(OriginPolicyTest, OriginOfUrl) {
  EXPECT_EQ(OriginPolicy::originOfUrl("https://a.test:8443/page?x=1#y"), "https://a.test:8443");
  EXPECT_EQ(OriginPolicy::originOfUrl("http://a.test"), "http://a.test");
  EXPECT_EQ(OriginPolicy::originOfUrl("http://a.test?q"), "http://a.test");
  EXPECT_FALSE(OriginPolicy::originOfUrl("/relative/path"));
  EXPECT_FALSE(OriginPolicy::originOfUrl("a.test/page"));
}

}  // namespace
}  // namespace aerie
