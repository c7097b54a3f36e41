#pragma once
// One RTCP packet of a compound packet (RFC 3550 section 6, RFC 4585 feedback, RFC 5104 FIR,
// draft-alvestrand-rmcat-remb), as a view over the caller's buffer. validCompound() checks a
// whole compound first (RFC 3550 appendix A.2: version, lengths that add up exactly, padding
// only in the last packet); the accessors then read what that check bounded. Nothing here
// allocates or throws.
#include <cstddef>
#include <cstdint>
#include <optional>
#include <span>

namespace aerie {

struct RtcpReportBlock {
  std::uint32_t ssrc = 0;
  std::uint8_t fractionLost = 0;    // of 256
  std::int32_t cumulativeLost = 0;  // 24-bit signed
  std::uint32_t highestSequence = 0;
  std::uint32_t jitter = 0;
  std::uint32_t lastSenderReport = 0;   // LSR: middle 32 bits of the SR's NTP time
  std::uint32_t delaySinceLast = 0;     // DLSR, 1/65536 s
};

struct RtcpSenderInfo {
  std::uint64_t ntpTime = 0;
  std::uint32_t rtpTimestamp = 0;
  std::uint32_t packetCount = 0;
  std::uint32_t octetCount = 0;
};

class RtcpPacket {
 public:
  enum Type : std::uint8_t {
    SenderReport = 200,
    ReceiverReport = 201,
    SourceDescription = 202,
    Goodbye = 203,
    App = 204,
    TransportFeedback = 205,  // RTPFB: FMT 1 generic NACK, 15 transport-wide CC
    PayloadFeedback = 206,    // PSFB: FMT 1 PLI, 4 FIR, 15 application layer (REMB)
  };
  static constexpr std::uint8_t kNack = 1;
  static constexpr std::uint8_t kTransportCc = 15;
  static constexpr std::uint8_t kPli = 1;
  static constexpr std::uint8_t kFir = 4;
  static constexpr std::uint8_t kApplicationLayer = 15;

  static bool validCompound(std::span<const std::uint8_t> data);
  // The packet at the start of `data`; nullopt when its header or length does not fit.
  static std::optional<RtcpPacket> first(std::span<const std::uint8_t> data);

  std::uint8_t type() const { return data_[1]; }
  std::uint8_t count() const { return data_[0] & 0x1F; }  // RC, SC or FMT
  std::size_t size() const { return data_.size(); }       // the whole packet, padding included
  std::span<const std::uint8_t> body() const { return body_; }  // after the 4-byte header
  std::span<const std::uint8_t> bytes() const { return data_; }  // the whole packet

  // SR, RR, RTPFB, PSFB: the SSRC of the packet's sender (nullopt for other types).
  std::optional<std::uint32_t> senderSsrc() const;
  // RTPFB, PSFB: the media source the feedback is about.
  std::optional<std::uint32_t> mediaSsrc() const;
  std::optional<RtcpSenderInfo> senderInfo() const;  // SR only
  // SR, RR: report block i < count(); nullopt if the packet is too short for it.
  std::optional<RtcpReportBlock> reportBlock(std::size_t i) const;
  // Generic NACK: calls `lost(seq)` for every sequence number it reports; false if not a NACK.
  template <class F>
  bool forEachNack(F&& lost) const;
  // FIR entry i: the SSRC asked for a keyframe and the request's sequence number.
  std::size_t firEntries() const;
  std::optional<std::pair<std::uint32_t, std::uint8_t>> firEntry(std::size_t i) const;
  // REMB: the estimated bitrate in bit/s and how many SSRCs it applies to.
  struct Remb {
    std::uint64_t bitrate = 0;
    std::size_t ssrcCount = 0;
  };
  std::optional<Remb> remb() const;

  bool isPli() const { return type() == PayloadFeedback && count() == kPli && body_.size() >= 8; }
  bool isNack() const { return type() == TransportFeedback && count() == kNack && body_.size() >= 8; }

 private:
  explicit RtcpPacket(std::span<const std::uint8_t> data, std::span<const std::uint8_t> body)
      : data_(data), body_(body) {}
  static std::uint32_t word(const std::uint8_t* p) {
    return static_cast<std::uint32_t>(p[0]) << 24 | static_cast<std::uint32_t>(p[1]) << 16 |
           static_cast<std::uint32_t>(p[2]) << 8 | p[3];
  }

  std::span<const std::uint8_t> data_;
  std::span<const std::uint8_t> body_;
};

template <class F>
bool RtcpPacket::forEachNack(F&& lost) const {
  if (!isNack()) return false;
  // FCI items after the two SSRCs: PID (16 bits) and BLP, a bitmask of the 16 following.
  for (std::size_t at = 8; at + 4 <= body_.size(); at += 4) {
    const auto pid = static_cast<std::uint16_t>(body_[at] << 8 | body_[at + 1]);
    const auto blp = static_cast<std::uint16_t>(body_[at + 2] << 8 | body_[at + 3]);
    lost(pid);
    for (unsigned bit = 0; bit < 16; ++bit) {
      if ((blp >> bit) & 1u) lost(static_cast<std::uint16_t>(pid + bit + 1));
    }
  }
  return true;
}

}  // namespace aerie
