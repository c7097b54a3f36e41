#pragma once
// The ICE username fragment and password of one side of a transport (RFC 8445 section 5.3).
#include <string>

namespace aerie {

struct IceCredentials {
  std::string ufrag;
  std::string password;

  // Fresh random credentials: 48 bits of ufrag (8 characters) and 144 bits of password (24
  // characters), above the RFC's minimum of 24 and 128 bits, in ice-chars (ALPHA, DIGIT, "+",
  // "/"), so they go into SDP as they are.
  static IceCredentials random();
};

}  // namespace aerie
