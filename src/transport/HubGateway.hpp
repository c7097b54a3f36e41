#pragma once
// Runs work on the Hub's loop and waits for the result, for callers outside the message path
// (the admin API, metrics). The Hub is single-threaded; this is the only way in from elsewhere.
#include <functional>
#include <future>
#include <mutex>

namespace aerie {

class Hub;

class HubGateway {
 public:
  explicit HubGateway(Hub& hub) : hub_(hub) {}

  // Set by the Server once its loops exist: how to post to the Hub's loop, and whether the
  // calling thread is that loop (then the work runs inline, since waiting would deadlock).
  void bind(std::function<void(std::function<void()>)> post, std::function<bool()> onHubThread) {
    std::lock_guard lock(mutex_);
    post_ = std::move(post);
    onHubThread_ = std::move(onHubThread);
  }

  template <class R>
  R call(const std::function<R(Hub&)>& fn) {
    std::function<void(std::function<void()>)> post;
    bool inline_ = true;
    {
      std::lock_guard lock(mutex_);
      if (post_ && !onHubThread_()) {
        post = post_;
        inline_ = false;
      }
    }
    if (inline_) return fn(hub_);
    std::packaged_task<R()> task([&] { return fn(hub_); });
    auto result = task.get_future();
    post([&task] { task(); });
    return result.get();
  }

 private:
  Hub& hub_;
  std::mutex mutex_;
  std::function<void(std::function<void()>)> post_;
  std::function<bool()> onHubThread_;
};

}  // namespace aerie
