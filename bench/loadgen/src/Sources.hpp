// The source addresses of generator process W: 127.1.W.1, 127.1.W.2, ..., one per 800 peers (at
// least two), as bench.mjs hands them to its workers. aerie admits 1,000 connections per client
// address; each address also has its own ephemeral ports.
#pragma once

#include <boost/asio/ip/address_v4.hpp>

#include <algorithm>
#include <vector>

namespace loadgen {

inline std::vector<boost::asio::ip::address_v4> sourceBlock(int block, std::size_t peers) {
  std::size_t n = std::max<std::size_t>(2, (peers + 799) / 800);
  n = std::min<std::size_t>(n, 254);
  std::vector<boost::asio::ip::address_v4> out;
  for (std::size_t i = 0; i < n; ++i) {
    out.emplace_back(boost::asio::ip::address_v4::bytes_type{127, 1, static_cast<unsigned char>(block),
                                                              static_cast<unsigned char>(i + 1)});
  }
  return out;
}

}  // namespace loadgen
