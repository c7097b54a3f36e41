#include "SkylinkMessages.hpp"

namespace aerie::bot {

namespace json = boost::json;

namespace {
constexpr std::string_view kMcu = "MCU";

json::object addressed(std::string_view type, std::string_view sid) {
  json::object m;
  m["type"] = type;
  m["mid"] = sid;
  m["target"] = kMcu;
  return m;
}
}  // namespace

json::object SkylinkMessages::userInfo(unsigned width, unsigned height, unsigned fps) {
  json::object settings;
  settings["audio"] = json::object{{"stereo", false}};
  settings["video"] = json::object{{"resolution", json::object{{"width", width}, {"height", height}}}, {"frameRate", fps}};
  json::object info;
  info["settings"] = std::move(settings);
  info["mediaStatus"] = json::object{{"audioMuted", false}, {"videoMuted", false}};
  info["userData"] = "aerie-bot";
  return info;
}

json::object SkylinkMessages::enter(std::string_view sid, double weight, const json::object& userInfo) {
  json::object m = addressed("enter", sid);
  m["agent"] = "aerie-bot";
  m["version"] = "2.7.2";
  m["os"] = "Linux";
  m["userInfo"] = userInfo;
  m["weight"] = weight;
  m["temasysPluginVersion"] = nullptr;
  m["enableDataChannel"] = false;
  m["enableIceRestart"] = false;
  m["SMProtocolVersion"] = "2.1.0";
  m["DTProtocolVersion"] = "0.1.3";
  m["publisherId"] = sid;
  return m;
}

json::array SkylinkMessages::mediaInfoList(const PublishedIds& ids) {
  json::array list;
  for (const bool video : {false, true}) {
    json::object info;
    info["publisherId"] = ids.sid;
    info["mediaId"] = std::string(video ? "VIDEO_" : "AUDIO_") + std::string(ids.streamId);
    info["mediaType"] = video ? "videoCamera" : "audioMic";
    info["mediaState"] = "active";
    info["transceiverMid"] = video ? ids.videoMid : ids.audioMid;
    info["mediaMetaData"] = json::object{};
    info["simulcast"] = json::object{};
    list.push_back(std::move(info));
  }
  return list;
}

json::object SkylinkMessages::offer(std::string_view sid, std::string_view sdp, double weight,
                                    const json::object& userInfo, json::array mediaInfo) {
  json::object m = addressed("offer", sid);
  m["sdp"] = sdp;
  m["weight"] = weight;
  m["userInfo"] = userInfo;
  m["mediaInfoList"] = std::move(mediaInfo);
  return m;
}

json::object SkylinkMessages::answer(std::string_view sid, std::string_view sdp, const json::object& userInfo,
                                     json::array mediaInfo) {
  json::object m = addressed("answer", sid);
  m["sdp"] = sdp;
  m["userInfo"] = userInfo;
  m["mediaInfoList"] = std::move(mediaInfo);
  return m;
}

json::object SkylinkMessages::answerAck(std::string_view sid) {
  json::object m = addressed("answerAck", sid);
  m["success"] = true;
  return m;
}

}  // namespace aerie::bot
