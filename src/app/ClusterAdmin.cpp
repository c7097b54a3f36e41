#include "app/ClusterAdmin.hpp"

#include <memory>
#include <mutex>

#include "cluster/ClusterNode.hpp"
#include "transport/HttpFetch.hpp"

namespace aerie {

std::string ClusterAdmin::selfId() const { return node_.nodeId(); }

void ClusterAdmin::askOthers(const NodeRequest& request, std::function<void(std::vector<NodeAnswer>)> done) {
  std::vector<NodeAddress> others;
  for (auto& n : node_.liveNodes()) {
    if (n.id != node_.nodeId()) others.push_back(std::move(n));
  }
  if (others.empty()) return done({});
  struct Gathering {
    std::mutex mutex;
    std::vector<NodeAnswer> answers;
    std::size_t left;
    std::function<void(std::vector<NodeAnswer>)> done;
  };
  auto g = std::make_shared<Gathering>();
  g->answers.resize(others.size());
  g->left = others.size();
  g->done = std::move(done);
  for (std::size_t i = 0; i < others.size(); ++i) {
    g->answers[i].nodeId = others[i].id;
    HttpFetch::Request req{request.method, others[i].host, others[i].port, request.target, request.authorization,
                           request.body};
    http_.send(std::move(req), timeoutMs_, maxReplyBytes_, [g, i](HttpFetch::Result r) {
      std::unique_lock lock(g->mutex);
      NodeAnswer& a = g->answers[i];
      a.ok = r.ok;
      a.status = r.status;
      a.body = std::move(r.body);
      a.error = std::move(r.error);
      if (--g->left != 0) return;
      lock.unlock();
      g->done(std::move(g->answers));
    });
  }
}

}  // namespace aerie
