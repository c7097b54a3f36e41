#pragma once
// Runs work on the Hub shards' loops for callers outside the message path (the admin API,
// metrics) and hands them the results: post-and-complete, no thread waits. Each Hub is
// single-threaded; this is the only way in from elsewhere.
#include <functional>
#include <memory>
#include <mutex>
#include <optional>
#include <vector>

namespace aerie {

class Hub;

class HubGateway {
 public:
  explicit HubGateway(Hub& hub) : hubs_{&hub} {}
  explicit HubGateway(std::vector<Hub*> hubs) : hubs_(std::move(hubs)) {}

  // Set by the Server once its loops exist: how to post to shard i's loop, and whether the
  // calling thread is that loop (then the work runs inline).
  void bind(std::function<void(unsigned, std::function<void()>)> post,
            std::function<bool(unsigned)> onShard) {
    std::lock_guard lock(mutex_);
    post_ = std::move(post);
    onShard_ = std::move(onShard);
  }

  std::size_t shards() const { return hubs_.size(); }

  // Runs `fn` on every shard's loop, then `then` with every shard's result (nullopt where `fn`
  // threw), on the loop of the shard that finished last (or at once when the gateway is not
  // bound, or all shards are the caller's). Nobody waits: `then` posts back wherever it needs
  // to be.
  template <class R>
  void gather(std::function<R(Hub&)> fn, std::function<void(std::vector<std::optional<R>>)> then) {
    struct Gathering {
      std::mutex mutex;
      std::vector<std::optional<R>> results;
      std::size_t left;
      std::function<R(Hub&)> fn;
      std::function<void(std::vector<std::optional<R>>)> then;
    };
    auto g = std::make_shared<Gathering>();
    g->results.resize(hubs_.size());
    g->left = hubs_.size();
    g->fn = std::move(fn);
    g->then = std::move(then);
    std::function<void(unsigned, std::function<void()>)> post;
    std::function<bool(unsigned)> onShard;
    {
      std::lock_guard lock(mutex_);
      post = post_;
      onShard = onShard_;
    }
    for (unsigned i = 0; i < hubs_.size(); ++i) {
      auto run = [g, i, hub = hubs_[i]] {
        std::optional<R> result;
        try {
          result = g->fn(*hub);
        } catch (...) {
        }
        std::unique_lock lock(g->mutex);
        g->results[i] = std::move(result);
        if (--g->left != 0) return;
        lock.unlock();
        g->then(std::move(g->results));
      };
      if (post && !onShard(i)) {
        post(i, std::move(run));
      } else {
        run();
      }
    }
  }

 private:
  std::vector<Hub*> hubs_;
  std::mutex mutex_;
  std::function<void(unsigned, std::function<void()>)> post_;
  std::function<bool(unsigned)> onShard_;
};

}  // namespace aerie
