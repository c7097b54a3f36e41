#pragma once
// The declarative table of what a client may send (protocol spec sections 4 and 5): for each
// message type its required and optional fields with their JSON kinds, how the Hub routes it
// and which rate bucket pays for it. Every handler in the Hub starts from a message that passed
// this table, so the handlers themselves never re-check field types.
#include <boost/json/object.hpp>
#include <cstddef>
#include <optional>
#include <span>
#include <string_view>

namespace aerie {

// How a message leaves the Hub.
enum class Routing {
  Targeted,           // to `target` only, which must be in the sender's room
  Broadcast,          // to the sender's room, sender excluded
  TargetOrBroadcast,  // `enter` and 2.x types: targeted when a `target` is present
  Server,             // answered or acted on by the Hub itself (joinRoom, bye, getPeers, ...)
};

enum class RateBucket {
  None,       // not rate limited (bye: leaving must always work)
  Targeted,   // handshake messages sent to one peer
  Broadcast,  // room-wide messages, each group entry, and requests the server answers
};

// JSON kinds a field may have, as a bit set.
struct JsonKinds {
  static constexpr unsigned String = 1u << 0;
  static constexpr unsigned Number = 1u << 1;
  static constexpr unsigned Bool = 1u << 2;
  static constexpr unsigned Object = 1u << 3;
  static constexpr unsigned Array = 1u << 4;
  static constexpr unsigned Null = 1u << 5;
  static constexpr unsigned Any = String | Number | Bool | Object | Array | Null;
};

struct FieldRule {
  std::string_view name;
  unsigned kinds = JsonKinds::Any;
  bool required = false;
  // userInfo/userData: serialized size bounded by Limits::maxUserDataBytes, because every
  // receiver keeps it for the whole session and it is re-sent in every offer and answer.
  bool sizeLimited = false;
};

struct MessageRule {
  std::string_view type;
  Routing routing = Routing::Server;
  RateBucket bucket = RateBucket::None;
  // May appear inside a `group` (the status messages SkylinkJS batches: _GROUP_MESSAGE_LIST).
  bool groupable = false;
  std::span<const FieldRule> fields;
};

enum class RuleViolation { None, MissingField, WrongType, TooLarge };
const char* toString(RuleViolation v);
const char* toString(Routing r);
const char* toString(RateBucket b);

class MessageRules {
 public:
  // The rule for `type`, or nullptr for a type the Hub does not know.
  static const MessageRule* find(std::string_view type);
  static std::span<const MessageRule> all();
  // Checks the fields of `message` against `rule`.
  static RuleViolation check(const MessageRule& rule, const boost::json::object& message,
                             std::size_t maxUserDataBytes);
  // Parses one signaling message: valid JSON no deeper than `maxDepth`, an object, with a
  // string `type`. Never throws on wire data; nullopt for anything else.
  // `storage`: where the DOM lives (the Hub passes a per-message arena).
  static std::optional<boost::json::object> parse(std::string_view json, std::size_t maxDepth,
                                                  boost::json::storage_ptr storage = {});
  // Whether a message of `rule` goes to the server peer in an SFU room (the negotiation of
  // connections and media: enter, welcome, restart, offer, answer, candidate, endOfCandidates,
  // answerAck, mediaInfoEvent) instead of to other members.
  static bool toServerPeer(const MessageRule& rule);
  // The bucket a message of `rule` is charged to, given whether it carries a `target`.
  static RateBucket bucketFor(const MessageRule& rule, bool hasTarget);
};

}  // namespace aerie
