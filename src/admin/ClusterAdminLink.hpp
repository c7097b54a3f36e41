#pragma once
// Cluster mode: how the admin API reaches the other nodes, so that a list asked of any node
// covers the whole cluster, and a peer removal or a room lock reaches the node that holds the
// peer or the room (docs/cluster.md, "Admin across nodes"). Implemented in the app layer over
// the registry's live nodes and a node-to-node HTTP client; the admin API only merges. Each
// node answers for its own part (`?local=1`), with the caller's own Authorization: the nodes
// share one admin token through the shared store.
#include <functional>
#include <string>
#include <vector>

namespace aerie {

struct NodeAnswer {
  std::string nodeId;
  bool ok = false;      // a complete HTTP reply came
  int status = 0;
  std::string body;
  std::string error;    // when !ok: why (timeout, refused), fit for the admin's reply
};

struct NodeRequest {
  std::string method = "GET";
  std::string target;         // path and query, `local=1` in it
  std::string authorization;  // the caller's own
  std::string body;           // JSON, or empty
};

class ClusterAdminLink {
 public:
  virtual ~ClusterAdminLink() = default;
  virtual std::string selfId() const = 0;
  // Sends `request` to every other live node; `done` once with every answer, on any thread.
  virtual void askOthers(const NodeRequest& request, std::function<void(std::vector<NodeAnswer>)> done) = 0;
};

}  // namespace aerie
