#pragma once
// JoinAuthorizer for the tokens ApiService issues; the token layout and how the room and
// realm are recovered from `joinRoom` are described in SessionCredentials.hpp.
#include "core/Limits.hpp"
#include "api/ApiConfig.hpp"
#include "hub/JoinAuthorizer.hpp"
#include "api/TokenSigner.hpp"
#include "storage/AppStore.hpp"

namespace aerie {

class CredentialJoinAuthorizer final : public JoinAuthorizer {
 public:
  CredentialJoinAuthorizer(AppStore& store, const TokenSigner& signer, const ApiConfig& config,
                           const Limits& limits);

  // Reasons when refused: `credentialError` (missing or malformed fields, bad MAC),
  // `keyFailed` (key or its parent gone, revoked or expired since the API call),
  // `notStart` (before start - clock skew), `expired` (after start + len).
  JoinGrant authorize(const boost::json::object& joinRoom, std::int64_t nowMs) override;

 private:
  AppStore& store_;
  const TokenSigner& signer_;
  const ApiConfig& config_;
  const Limits& limits_;
};

}  // namespace aerie
