#include "hub/MessageRules.hpp"

#include <array>
#include <boost/json/parse.hpp>
#include <boost/json/parse_options.hpp>
#include <boost/json/serialize.hpp>
#include <boost/json/value.hpp>

namespace aerie {
namespace {

using K = JsonKinds;

// Field lists. Only what routing needs is required; the rest is type-checked when present,
// because SkylinkJS tolerates missing optional fields (it defaults them in _enterHandler) and
// a strict server would break older or newer clients for no gain. `label` and `id` of a
// candidate may be null (RTCIceCandidate.sdpMid/sdpMLineIndex are nullable).
constexpr FieldRule kEnter[] = {
    {"target", K::String}, {"userInfo", K::Object | K::Null, false, true}, {"weight", K::Number}};
constexpr FieldRule kWelcome[] = {{"target", K::String, true},
                                  {"userInfo", K::Object | K::Null, false, true},
                                  {"weight", K::Number}};
constexpr FieldRule kSdp[] = {{"target", K::String, true},
                              {"sdp", K::String, true},
                              {"userInfo", K::Object | K::Null, false, true}};
constexpr FieldRule kCandidate[] = {{"target", K::String, true},
                                    {"candidate", K::String, true},
                                    {"label", K::Number | K::Null},
                                    {"id", K::String | K::Null}};
constexpr FieldRule kEndOfCandidates[] = {{"target", K::String, true},
                                          {"noOfExpectedCandidates", K::Number}};
constexpr FieldRule kTargetOnly[] = {{"target", K::String, true}};
constexpr FieldRule kOptionalTarget[] = {{"target", K::String}};
constexpr FieldRule kUpdateUser[] = {{"userData", K::Any, false, true}, {"stamp", K::Number}};
constexpr FieldRule kMute[] = {{"muted", K::Bool, true}, {"stamp", K::Number}};
constexpr FieldRule kStream[] = {{"streamId", K::String}, {"status", K::String}};
constexpr FieldRule kRoomLock[] = {{"lock", K::Bool, true}};
constexpr FieldRule kGroup[] = {{"lists", K::Array, true}};
constexpr FieldRule kGetPeers[] = {{"showAll", K::Bool | K::Null}};
constexpr FieldRule kIntroduce[] = {{"sendingPeerId", K::String, true},
                                    {"receivingPeerId", K::String, true}};

using R = Routing;
using B = RateBucket;

// One row per type a client may send. Server-originated types (inRoom, redirect, peerList,
// approach, introduceError, recordingEvent) are absent on purpose: a client sending them is
// forging server messages and is dropped as unknown.
constexpr std::array kRules = {
    // joinRoom's fields are the authorizer's business: a malformed one gets a redirect from it.
    MessageRule{"joinRoom", R::Server, B::Broadcast, false, {}},
    // One `enter` per join: it belongs to the handshake budget, not the status budget.
    MessageRule{"enter", R::TargetOrBroadcast, B::Targeted, false, kEnter},
    MessageRule{"welcome", R::Targeted, B::Targeted, false, kWelcome},
    MessageRule{"restart", R::Targeted, B::Targeted, false, kWelcome},
    MessageRule{"offer", R::Targeted, B::Targeted, false, kSdp},
    MessageRule{"answer", R::Targeted, B::Targeted, false, kSdp},
    MessageRule{"candidate", R::Targeted, B::Targeted, false, kCandidate},
    MessageRule{"endOfCandidates", R::Targeted, B::Targeted, false, kEndOfCandidates},
    MessageRule{"private", R::Targeted, B::Targeted, false, kTargetOnly},
    MessageRule{"answerAck", R::Targeted, B::Targeted, false, kTargetOnly},  // 2.x
    MessageRule{"public", R::Broadcast, B::Broadcast, true, {}},
    MessageRule{"updateUserEvent", R::Broadcast, B::Broadcast, true, kUpdateUser},
    MessageRule{"muteAudioEvent", R::Broadcast, B::Broadcast, true, kMute},
    MessageRule{"muteVideoEvent", R::Broadcast, B::Broadcast, true, kMute},
    MessageRule{"stream", R::Broadcast, B::Broadcast, true, kStream},
    // 0.5.x bundles roomLockEvent into groups as well (0.6.x does not).
    MessageRule{"roomLockEvent", R::Broadcast, B::Broadcast, true, kRoomLock},
    // 2.x: mediaInfoEvent is sent once per peer with a target; `message` is public without a
    // target and private with one (its `getUserMessages`).
    MessageRule{"startScreenshare", R::TargetOrBroadcast, B::Broadcast, false, kOptionalTarget},
    MessageRule{"mediaInfoEvent", R::TargetOrBroadcast, B::Broadcast, false, kOptionalTarget},
    MessageRule{"message", R::TargetOrBroadcast, B::Broadcast, false, kOptionalTarget},
    MessageRule{"bye", R::Server, B::None, false, {}},
    MessageRule{"group", R::Server, B::None, false, kGroup},  // each entry pays on its own
    MessageRule{"getPeers", R::Server, B::Broadcast, false, kGetPeers},
    MessageRule{"introduce", R::Server, B::Broadcast, false, kIntroduce},
    MessageRule{"startRecordingRoom", R::Server, B::Broadcast, false, {}},
    MessageRule{"stopRecordingRoom", R::Server, B::Broadcast, false, {}},
};

unsigned kindOf(const boost::json::value& v) {
  switch (v.kind()) {
    case boost::json::kind::string:
      return K::String;
    case boost::json::kind::int64:
    case boost::json::kind::uint64:
    case boost::json::kind::double_:
      return K::Number;
    case boost::json::kind::bool_:
      return K::Bool;
    case boost::json::kind::object:
      return K::Object;
    case boost::json::kind::array:
      return K::Array;
    case boost::json::kind::null:
      return K::Null;
  }
  return 0;
}

}  // namespace

const char* toString(RuleViolation v) {
  switch (v) {
    case RuleViolation::None:
      return "none";
    case RuleViolation::MissingField:
      return "missingField";
    case RuleViolation::WrongType:
      return "wrongType";
    case RuleViolation::TooLarge:
      return "tooLarge";
  }
  return "?";
}

const char* toString(Routing r) {
  switch (r) {
    case Routing::Targeted:
      return "targeted";
    case Routing::Broadcast:
      return "broadcast";
    case Routing::TargetOrBroadcast:
      return "targetOrBroadcast";
    case Routing::Server:
      return "server";
  }
  return "?";
}

const char* toString(RateBucket b) {
  switch (b) {
    case RateBucket::None:
      return "none";
    case RateBucket::Targeted:
      return "targeted";
    case RateBucket::Broadcast:
      return "broadcast";
  }
  return "?";
}

const MessageRule* MessageRules::find(std::string_view type) {
  for (const auto& rule : kRules) {
    if (rule.type == type) return &rule;
  }
  return nullptr;
}

std::span<const MessageRule> MessageRules::all() {
  return kRules;
}

RuleViolation MessageRules::check(const MessageRule& rule, const boost::json::object& message,
                                  std::size_t maxUserDataBytes) {
  for (const auto& field : rule.fields) {
    const auto* value = message.if_contains(field.name);
    if (value == nullptr) {
      if (field.required) return RuleViolation::MissingField;
      continue;
    }
    if ((kindOf(*value) & field.kinds) == 0) return RuleViolation::WrongType;
    if (field.sizeLimited && boost::json::serialize(*value).size() > maxUserDataBytes) {
      return RuleViolation::TooLarge;
    }
  }
  return RuleViolation::None;
}

std::optional<boost::json::object> MessageRules::parse(std::string_view json,
                                                       std::size_t maxDepth,
                                                       boost::json::storage_ptr storage) {
  boost::json::parse_options options;
  options.max_depth = maxDepth;
  boost::system::error_code ec;
  boost::json::value value = boost::json::parse(json, ec, std::move(storage), options);
  if (ec || !value.is_object()) return std::nullopt;
  auto& object = value.get_object();
  const auto* type = object.if_contains("type");
  if (type == nullptr || !type->is_string()) return std::nullopt;
  return std::move(object);
}

bool MessageRules::toServerPeer(const MessageRule& rule) {
  static constexpr std::string_view kTypes[] = {"enter",     "welcome",   "restart",
                                                "offer",     "answer",    "candidate",
                                                "endOfCandidates", "answerAck", "mediaInfoEvent"};
  for (auto t : kTypes) {
    if (rule.type == t) return true;
  }
  return false;
}

RateBucket MessageRules::bucketFor(const MessageRule& rule, bool hasTarget) {
  if (rule.routing == Routing::TargetOrBroadcast && hasTarget) return RateBucket::Targeted;
  return rule.bucket;
}

}  // namespace aerie
