#pragma once
#include <string>
#include <vector>

namespace aerie {

// A development certificate: generated once (EC P-256, one year) when the files are missing.
class SelfSignedCertificate {
 public:
  // Returns true when it created new files. Throws std::runtime_error on failure.
  static bool ensure(const std::string& certPath, const std::string& keyPath,
                     const std::vector<std::string>& dnsNames,
                     const std::vector<std::string>& ipAddresses);
};

}  // namespace aerie
