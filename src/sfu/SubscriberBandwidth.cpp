#include "sfu/SubscriberBandwidth.hpp"

#include "codec/RtpPacket.hpp"

namespace aerie {

SubscriberBandwidth::Element SubscriberBandwidth::find(const RtpPacket& packet, std::uint16_t id) {
  if (id == 0 || id > 255) return {};
  const auto value = packet.extension(static_cast<std::uint8_t>(id));
  if (!value || value->size() != 2) return {};
  const bool twoByte = packet.extensionProfile() != 0xBEDE;
  const auto offset = static_cast<std::size_t>(value->data() - packet.bytes().data());
  const std::size_t header = twoByte ? 2 : 1;
  if (offset < RtpPacket::kFixedHeader + header) return {};
  return Element{offset - header, twoByte};
}

bool SubscriberBandwidth::stamp(std::span<std::uint8_t> copy, Element e, std::int64_t nowUs) {
  if (extension_ == 0 || e.at == 0) return false;
  const std::size_t data = e.at + (e.twoByte ? 2 : 1);
  if (data + 2 > copy.size()) return false;
  if (e.twoByte) {
    copy[e.at] = static_cast<std::uint8_t>(extension_);
  } else {
    if (extension_ > 14) return false;
    copy[e.at] = static_cast<std::uint8_t>(extension_ << 4 | 1);  // two bytes of data
  }
  const std::uint16_t seq = history_.next(nowUs, copy.size());
  copy[data] = static_cast<std::uint8_t>(seq >> 8);
  copy[data + 1] = static_cast<std::uint8_t>(seq);
  return true;
}

std::size_t SubscriberBandwidth::onFeedback(const TransportFeedback& feedback, std::int64_t nowUs) {
  std::size_t known = 0;
  feedback.forEach([&](std::uint16_t seq, bool received, std::int64_t arrivalUs) {
    const auto sent = history_.take(seq);
    if (!sent) return;
    ++known;
    estimator_.onPacket(sent->sendUs, sent->bytes, received, arrivalUs);
  });
  if (known != 0) estimator_.onFeedback(nowUs);
  return known;
}

}  // namespace aerie
