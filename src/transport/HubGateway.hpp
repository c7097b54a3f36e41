#pragma once
// Runs work on the Hub's loop for callers outside the message path (the admin API, metrics) and
// hands them the result there: post-and-complete, no thread waits. The Hub is single-threaded;
// this is the only way in from elsewhere.
#include <functional>
#include <mutex>
#include <optional>

namespace aerie {

class Hub;

class HubGateway {
 public:
  explicit HubGateway(Hub& hub) : hub_(hub) {}

  // Set by the Server once its loops exist: how to post to the Hub's loop, and whether the
  // calling thread is that loop (then the work runs inline).
  void bind(std::function<void(std::function<void()>)> post, std::function<bool()> onHubThread) {
    std::lock_guard lock(mutex_);
    post_ = std::move(post);
    onHubThread_ = std::move(onHubThread);
  }

  // Runs `fn` on the Hub's loop, then `then` with its result, there (or both at once when
  // called on that loop, or before the loops run). Nobody waits: the caller goes on, and
  // `then` posts back wherever it needs to be. `then` gets nullopt if `fn` threw.
  template <class R>
  void post(std::function<R(Hub&)> fn, std::function<void(std::optional<R>)> then) {
    std::function<void(std::function<void()>)> post;
    {
      std::lock_guard lock(mutex_);
      if (post_ && !onHubThread_()) post = post_;
    }
    auto run = [this, fn = std::move(fn), then = std::move(then)] {
      std::optional<R> result;
      try {
        result = fn(hub_);
      } catch (...) {
      }
      then(std::move(result));
    };
    if (post) {
      post(std::move(run));
    } else {
      run();
    }
  }

 private:
  Hub& hub_;
  std::mutex mutex_;
  std::function<void(std::function<void()>)> post_;
  std::function<bool()> onHubThread_;
};

}  // namespace aerie
