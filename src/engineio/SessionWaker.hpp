#pragma once
// What a session calls when there is something to drain or its state changed: the transport
// that carries it. Called from any thread, outside the session's lock; must be cheap and must
// not call back into the session.
namespace aerie {

class SessionWaker {
 public:
  virtual ~SessionWaker() = default;
  virtual void wake() = 0;
};

}  // namespace aerie
