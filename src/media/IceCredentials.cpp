#include "media/IceCredentials.hpp"

#include "core/Crypto.hpp"

namespace aerie {

IceCredentials IceCredentials::random() {
  // Standard base64 of a multiple of 3 bytes has no '=' padding, and its alphabet is
  // exactly the ice-chars.
  return {crypto::base64Encode(crypto::randomBytes(6)),
          crypto::base64Encode(crypto::randomBytes(18))};
}

}  // namespace aerie
