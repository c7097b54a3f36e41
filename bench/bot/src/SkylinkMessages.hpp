#pragma once
// The Skylink signaling messages a SkylinkJS 2.7.2 client sends to the server peer 'MCU' in an
// SFU room (../shared/design/sfu.md §1.4), field for field as its message builders make them:
// `enter` with target MCU and publisherId, `offer`/`answer` with mediaInfoList, `answerAck`.
#include <boost/json/array.hpp>
#include <boost/json/object.hpp>

#include <string>
#include <string_view>

namespace aerie::bot {

struct PublishedIds {
  std::string_view sid;
  std::string_view streamId;
  std::string_view audioMid;
  std::string_view videoMid;
};

class SkylinkMessages {
 public:
  static boost::json::object userInfo(unsigned width, unsigned height, unsigned fps);
  static boost::json::object enter(std::string_view sid, double weight, const boost::json::object& userInfo);
  // One entry per published track: publisherId, mediaId, mediaType, mediaState, transceiverMid.
  static boost::json::array mediaInfoList(const PublishedIds& ids);
  static boost::json::object offer(std::string_view sid, std::string_view sdp, double weight,
                                   const boost::json::object& userInfo, boost::json::array mediaInfo);
  static boost::json::object answer(std::string_view sid, std::string_view sdp,
                                    const boost::json::object& userInfo, boost::json::array mediaInfo);
  static boost::json::object answerAck(std::string_view sid);
};

}  // namespace aerie::bot
