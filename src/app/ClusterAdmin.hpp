#pragma once
// The admin API's way to the other nodes (admin/ClusterAdminLink.hpp): the live nodes of the
// registry's last heartbeat, each asked over HTTP at the address its API replies hand out.
//
// Why a fan-out and not a Redis hash of rooms per node: the lists are asked for rarely (an
// operator, a dashboard poll), while joins and leaves are frequent; a hash would cost Redis
// writes on every join and leave and still hold only what was written, whereas asking each
// node costs nothing at steady state and returns its live rooms and peers as they are.
#include <cstdint>

#include "admin/ClusterAdminLink.hpp"

namespace aerie {

class ClusterNode;
class HttpFetch;

class ClusterAdmin final : public ClusterAdminLink {
 public:
  ClusterAdmin(ClusterNode& node, HttpFetch& http, std::uint32_t timeoutMs, std::size_t maxReplyBytes)
      : node_(node), http_(http), timeoutMs_(timeoutMs), maxReplyBytes_(maxReplyBytes) {}

  std::string selfId() const override;
  void askOthers(const NodeRequest& request, std::function<void(std::vector<NodeAnswer>)> done) override;

 private:
  ClusterNode& node_;
  HttpFetch& http_;
  std::uint32_t timeoutMs_;
  std::size_t maxReplyBytes_;
};

}  // namespace aerie
