#include "codec/WsFrameDecoder.hpp"

#include "core/Utf8.hpp"

namespace aerie {

namespace {

constexpr std::uint8_t kContinuation = 0x0, kText = 0x1, kBinary = 0x2, kClose = 0x8, kPing = 0x9,
                       kPong = 0xA;

// Close codes a peer may send (RFC 6455 section 7.4).
bool validCloseCode(std::uint16_t code) {
  if (code >= 3000 && code <= 4999) return true;
  return code >= 1000 && code <= 1014 && code != 1004 && code != 1005 && code != 1006;
}

}  // namespace

std::uint16_t WsFrameDecoder::closeCode(Status s) {
  switch (s) {
    case Status::TooBig:
      return 1009;
    case Status::BadUtf8:
      return 1007;
    case Status::ProtocolError:
      return 1002;
    case Status::Ok:
      break;
  }
  return 1000;
}

bool WsFrameDecoder::fail(Status s) {
  status_ = s;
  stopped_ = true;
  pending_.clear();
  pending_.shrink_to_fit();
  fragments_.clear();
  fragments_.shrink_to_fit();
  return false;
}

WsFrameDecoder::Status WsFrameDecoder::feed(char* data, std::size_t size, Handler& handler) {
  if (stopped_) return status_;
  if (pending_.empty()) {
    std::size_t used = parse(data, size, handler);
    if (!stopped_ && used < size) pending_.assign(data + used, size - used);
  } else {
    pending_.append(data, size);
    std::size_t used = parse(pending_.data(), pending_.size(), handler);
    if (stopped_) return status_;
    if (used == pending_.size()) {
      // A frame split across reads is rare: its buffer is not kept by an idle connection.
      std::string().swap(pending_);
    } else {
      pending_.erase(0, used);
    }
  }
  return status_;
}

std::size_t WsFrameDecoder::parse(char* buf, std::size_t size, Handler& handler) {
  std::size_t pos = 0;
  while (!stopped_ && size - pos >= 2) {
    const auto b0 = static_cast<std::uint8_t>(buf[pos]);
    const auto b1 = static_cast<std::uint8_t>(buf[pos + 1]);
    const bool fin = (b0 & 0x80) != 0;
    const std::uint8_t opcode = b0 & 0x0F;
    if ((b0 & 0x70) != 0 || (b1 & 0x80) == 0) {
      fail(Status::ProtocolError);  // extension bits, or a client frame without a mask
      break;
    }
    const std::uint8_t len7 = b1 & 0x7F;
    const std::size_t lengthBytes = len7 == 126 ? 2 : len7 == 127 ? 8 : 0;
    const std::size_t headerBytes = 2 + lengthBytes + 4;
    if (size - pos < headerBytes) break;
    std::uint64_t length = len7;
    if (lengthBytes) {
      length = 0;
      for (std::size_t i = 0; i < lengthBytes; ++i) {
        length = (length << 8) | static_cast<std::uint8_t>(buf[pos + 2 + i]);
      }
      if (lengthBytes == 8 && (length >> 63) != 0) {
        fail(Status::ProtocolError);
        break;
      }
    }
    const bool control = (opcode & 0x8) != 0;
    if (control) {
      if (!fin || length > 125 || (opcode != kClose && opcode != kPing && opcode != kPong)) {
        fail(Status::ProtocolError);
        break;
      }
    } else {
      if (opcode != kContinuation && opcode != kText && opcode != kBinary) {
        fail(Status::ProtocolError);
        break;
      }
      if ((opcode == kContinuation) != inFragmentedMessage_) {
        fail(Status::ProtocolError);  // a continuation out of nowhere, or a new message inside one
        break;
      }
      if (length > maxMessageBytes_ || fragments_.size() + length > maxMessageBytes_) {
        fail(Status::TooBig);
        break;
      }
    }
    if (size - pos - headerBytes < length) break;

    char* mask = buf + pos + 2 + lengthBytes;
    char* payload = buf + pos + headerBytes;
    for (std::size_t i = 0; i < length; ++i) payload[i] ^= mask[i & 3];
    std::string_view bytes(payload, static_cast<std::size_t>(length));
    pos += headerBytes + static_cast<std::size_t>(length);

    if (control) {
      Kind kind = opcode == kClose ? Kind::Close : opcode == kPing ? Kind::Ping : Kind::Pong;
      if (kind == Kind::Close && !bytes.empty()) {
        if (bytes.size() < 2) {
          fail(Status::ProtocolError);
          break;
        }
        auto code = static_cast<std::uint16_t>((static_cast<std::uint8_t>(bytes[0]) << 8) |
                                               static_cast<std::uint8_t>(bytes[1]));
        if (!validCloseCode(code)) {
          fail(Status::ProtocolError);
          break;
        }
        if (!utf8::valid(bytes.substr(2))) {
          fail(Status::BadUtf8);
          break;
        }
      }
      if (!handler.onMessage({kind, bytes})) stopped_ = true;
      continue;
    }
    Kind kind = opcode == kBinary ? Kind::Binary : Kind::Text;
    if (fin && opcode != kContinuation) {
      deliver(kind, bytes, handler);  // the usual case: one frame, no copy
      continue;
    }
    if (opcode != kContinuation) {
      inFragmentedMessage_ = true;
      fragmentedKind_ = kind;
    }
    fragments_.append(bytes);
    if (fin) {
      inFragmentedMessage_ = false;
      deliver(fragmentedKind_, fragments_, handler);
      fragments_.clear();
      if (fragments_.capacity() > 4096) fragments_.shrink_to_fit();
    }
  }
  return pos;
}

bool WsFrameDecoder::deliver(Kind kind, std::string_view payload, Handler& handler) {
  if (kind == Kind::Text && !utf8::valid(payload)) return fail(Status::BadUtf8);
  if (!handler.onMessage({kind, payload})) stopped_ = true;
  return !stopped_;
}

}  // namespace aerie
