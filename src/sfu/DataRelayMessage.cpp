#include "sfu/DataRelayMessage.hpp"

#include <boost/json.hpp>

namespace aerie {

std::optional<DataRelayMessage> DataRelayMessage::parse(std::string_view text, std::string_view senderSid,
                                                        std::size_t maxJsonDepth) {
  boost::json::parse_options options;
  options.max_depth = maxJsonDepth;
  boost::system::error_code ec;
  boost::json::value value = boost::json::parse(text, ec, {}, options);
  if (ec || !value.is_object()) return std::nullopt;
  auto& object = value.get_object();
  const auto* type = object.if_contains("type");
  if (type == nullptr || !type->is_string() || type->get_string() != "MESSAGE") return std::nullopt;
  DataRelayMessage m;
  if (const auto* target = object.if_contains("target"); target != nullptr && !target->is_null()) {
    if (!target->is_array()) return std::nullopt;
    for (const auto& t : target->get_array()) {
      if (!t.is_string()) return std::nullopt;
      m.targets_.emplace_back(t.get_string());
    }
  }
  object["sender"] = senderSid;
  m.text_ = boost::json::serialize(value);
  return m;
}

}  // namespace aerie
