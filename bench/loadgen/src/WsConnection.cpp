#include "WsConnection.hpp"

#include "HeaderText.hpp"
#include "SourceSocket.hpp"

#include <openssl/evp.h>
#include <openssl/sha.h>

#include <algorithm>
#include <array>
#include <cctype>
#include <cstring>

namespace loadgen {

namespace asio = boost::asio;
using boost::system::error_code;

namespace {

constexpr std::size_t kMaxMessage = 16u << 20;
constexpr std::size_t kMaxHandshake = 16u << 10;
constexpr std::size_t kReadChunk = 2048;
constexpr const char* kTarget = "/socket.io/?EIO=3&transport=websocket&Skylink_SDK_type=WEB_SDK&Skylink_SDK_version=0.6.37";

std::uint64_t nextRandom() {
  thread_local std::uint64_t s = 0x2545F4914F6CDD1Dull ^ static_cast<std::uint64_t>(reinterpret_cast<std::uintptr_t>(&s));
  s ^= s << 13;
  s ^= s >> 7;
  s ^= s << 17;
  return s;
}

std::string base64(const unsigned char* data, std::size_t n) {
  std::string out(4 * ((n + 2) / 3), '\0');
  int len = EVP_EncodeBlock(reinterpret_cast<unsigned char*>(out.data()), data, static_cast<int>(n));
  out.resize(static_cast<std::size_t>(len));
  return out;
}

// Appends one masked client frame (FIN set) to `out`.
void appendMasked(std::string& out, unsigned opcode, std::string_view payload) {
  unsigned char head[14];
  std::size_t h = 0;
  head[h++] = static_cast<unsigned char>(0x80u | opcode);
  std::size_t len = payload.size();
  if (len < 126) {
    head[h++] = static_cast<unsigned char>(0x80u | len);
  } else if (len <= 0xFFFF) {
    head[h++] = 0x80u | 126u;
    head[h++] = static_cast<unsigned char>(len >> 8);
    head[h++] = static_cast<unsigned char>(len);
  } else {
    head[h++] = 0x80u | 127u;
    for (int i = 7; i >= 0; --i) head[h++] = static_cast<unsigned char>(static_cast<std::uint64_t>(len) >> (8 * i));
  }
  auto key = static_cast<std::uint32_t>(nextRandom());
  std::memcpy(head + h, &key, 4);
  h += 4;
  std::size_t start = out.size();
  out.resize(start + h + len);
  char* dst = out.data() + start;
  std::memcpy(dst, head, h);
  dst += h;
  std::uint64_t m8 = (static_cast<std::uint64_t>(key) << 32) | key;  // the 4 key bytes twice, in memory order
  std::size_t i = 0;
  for (; i + 8 <= len; i += 8) {
    std::uint64_t v;
    std::memcpy(&v, payload.data() + i, 8);
    v ^= m8;
    std::memcpy(dst + i, &v, 8);
  }
  const auto* k = reinterpret_cast<const unsigned char*>(&key);
  for (; i < len; ++i) dst[i] = static_cast<char>(static_cast<unsigned char>(payload[i]) ^ k[i & 3]);
}

std::string& scratch() {
  thread_local std::string s;
  return s;
}

}  // namespace

void WsConnection::connect(const asio::ip::address_v4& source, const LoopbackUrl& server, std::string_view target) {
  if (target.empty()) target = kTarget;
  state_ = State::Connecting;
  closeSent_ = false;
  fragmenting_ = false;
  partial_.clear();
  out_.clear();
  outPos_ = 0;

  unsigned char nonce[16];
  for (int i = 0; i < 2; ++i) {
    std::uint64_t r = nextRandom();
    std::memcpy(nonce + 8 * i, &r, 8);
  }
  std::string key = base64(nonce, sizeof nonce);
  std::string accept = key + "258EAFA5-E914-47DA-95CA-C5AB0DC85B11";
  unsigned char digest[SHA_DIGEST_LENGTH];
  SHA1(reinterpret_cast<const unsigned char*>(accept.data()), accept.size(), digest);
  acceptKey_ = base64(digest, sizeof digest);

  // What the `ws` package sends (perMessageDeflate off: no extension offer).
  out_.reserve(256);
  out_ += "GET ";
  out_ += target;
  out_ += " HTTP/1.1\r\nSec-WebSocket-Version: 13\r\nSec-WebSocket-Key: ";
  out_ += key;
  out_ += "\r\nConnection: Upgrade\r\nUpgrade: websocket\r\nHost: ";
  out_ += server.hostHeader;
  out_ += "\r\n\r\n";

  error_code ec;
  openFrom(socket_, source, ec);
  if (ec) {
    transportError("connect", ec.message());
    closeSocket();
    return;
  }
  socket_.async_connect(asio::ip::tcp::endpoint(server.address, server.port), [this](error_code ec) {
    if (state_ != State::Connecting) return;
    if (!ec) tuneConnected(socket_, ec);
    if (ec) {
      transportError("connect", ec.message());
      closeSocket();
      return;
    }
    state_ = State::Handshake;
    flush();
    if (state_ == State::Handshake) armRead();
  });
}

void WsConnection::sendText(std::string_view text) {
  if (state_ != State::Open) return;
  if (outPos_ < out_.size() || writeArmed_) {
    appendMasked(out_, 0x1, text);
    return;
  }
  // Nothing queued: frame into the shared scratch buffer and write it straight away.
  std::string& s = scratch();
  s.clear();
  appendMasked(s, 0x1, text);
  std::size_t done = 0;
  while (done < s.size()) {
    error_code ec;
    std::size_t n = socket_.write_some(asio::buffer(s.data() + done, s.size() - done), ec);
    if (ec == asio::error::would_block || ec == asio::error::try_again) break;
    if (ec) {
      transportError("write", ec.message());
      closeSocket();
      return;
    }
    done += n;
  }
  if (done < s.size()) {
    out_.assign(s, done);
    outPos_ = 0;
    flush();
  }
}

void WsConnection::sendClose() {
  if (state_ != State::Open) return;
  state_ = State::Closing;
  closeSent_ = true;
  appendMasked(out_, 0x8, {});
  flush();
}

void WsConnection::terminate() { closeSocket(); }

void WsConnection::flush() {
  if (writeArmed_) return;
  while (outPos_ < out_.size()) {
    error_code ec;
    std::size_t n = socket_.write_some(asio::buffer(out_.data() + outPos_, out_.size() - outPos_), ec);
    if (ec == asio::error::would_block || ec == asio::error::try_again) {
      writeArmed_ = true;
      socket_.async_wait(asio::socket_base::wait_write, [this](error_code ec) {
        writeArmed_ = false;
        if (state_ == State::Closed || ec == asio::error::operation_aborted) return;
        flush();
      });
      return;
    }
    if (ec) {
      transportError("write", ec.message());
      closeSocket();
      return;
    }
    outPos_ += n;
  }
  out_.clear();
  outPos_ = 0;
  if (out_.capacity() > 4096) std::string().swap(out_);
}

void WsConnection::armRead() {
  if (readArmed_ || state_ == State::Closed) return;
  if (!inbuf_) inbuf_ = std::make_unique<char[]>(kReadChunk);
  readArmed_ = true;
  socket_.async_read_some(asio::buffer(inbuf_.get(), kReadChunk), [this](error_code ec, std::size_t n) {
    readArmed_ = false;
    if (!ec && state_ != State::Closed) return onRead(n);
    if (state_ != State::Closed && ec != asio::error::operation_aborted) {
      if (ec != asio::error::eof && state_ != State::Closing) transportError("read", ec.message());
      else if (ec == asio::error::eof && state_ == State::Handshake) transportError("handshake", "closed before the 101");
      closeSocket();
    }
    // Closed: nothing reads into these any more.
    if (state_ == State::Closed) releaseBuffers();
  });
}

void WsConnection::onRead(std::size_t n) {
  feed(inbuf_.get(), n);
  // A full chunk: more may be waiting. Drain it into the thread's shared buffer.
  thread_local std::array<char, 65536> buf;
  bool more = n == kReadChunk;
  while (more && state_ != State::Closed) {
    error_code ec;
    std::size_t got = socket_.read_some(asio::buffer(buf), ec);
    if (ec == asio::error::would_block || ec == asio::error::try_again) break;
    if (ec) {
      if (ec != asio::error::eof && state_ != State::Closing) transportError("read", ec.message());
      closeSocket();
      break;
    }
    feed(buf.data(), got);
    more = got == buf.size();
  }
  if (state_ == State::Closed) return releaseBuffers();
  armRead();
}

void WsConnection::releaseBuffers() {
  inbuf_.reset();
  std::string().swap(partial_);
  std::string().swap(fragment_);
}

// Frames (or the handshake reply) from `data`; an incomplete tail waits in partial_.
void WsConnection::feed(const char* data, std::size_t n) {
  if (state_ == State::Closed) return;
  if (partial_.empty()) {
    std::size_t used = consume(data, n);
    if (state_ == State::Closed) return;
    if (used < n) partial_.assign(data + used, n - used);
  } else {
    partial_.append(data, n);
    std::size_t used = consume(partial_.data(), partial_.size());
    if (state_ == State::Closed) return;
    partial_.erase(0, used);
    if (partial_.empty() && partial_.capacity() > 4096) std::string().swap(partial_);
  }
}

std::size_t WsConnection::consumeHandshake(const char* data, std::size_t n) {
  std::string_view in(data, n);
  auto headEnd = in.find("\r\n\r\n");
  if (headEnd == std::string_view::npos) {
    if (n > kMaxHandshake) protocolError("handshake", "reply headers too large");
    return 0;
  }
  std::string_view head = in.substr(0, headEnd);
  if (!head.starts_with("HTTP/1.1 101")) {
    auto eol = head.find("\r\n");
    protocolError("handshake", head.substr(0, eol));
    return 0;
  }
  bool upgrade = false;
  bool accepted = false;
  std::size_t pos = head.find("\r\n");
  while (pos != std::string_view::npos && pos < head.size()) {
    pos += 2;
    auto eol = head.find("\r\n", pos);
    std::string_view line = head.substr(pos, eol == std::string_view::npos ? head.npos : eol - pos);
    if (auto colon = line.find(':'); colon != std::string_view::npos) {
      std::string_view name = trim(line.substr(0, colon));
      std::string_view value = trim(line.substr(colon + 1));
      if (iequals(name, "upgrade")) upgrade = iequals(value, "websocket");
      if (iequals(name, "sec-websocket-accept")) accepted = value == acceptKey_;
      if (iequals(name, "sec-websocket-extensions")) {
        protocolError("handshake", "an extension nobody asked for");
        return 0;
      }
    }
    pos = eol;
  }
  if (!upgrade || !accepted) {
    protocolError("handshake", !upgrade ? "no Upgrade: websocket" : "Sec-WebSocket-Accept does not match");
    return 0;
  }
  state_ = State::Open;
  listener_.onWsOpen();
  return headEnd + 4;
}

std::size_t WsConnection::consume(const char* data, std::size_t n) {
  std::size_t pos = 0;
  if (state_ == State::Handshake) {
    pos = consumeHandshake(data, n);
    if (state_ != State::Open) return pos;
  }
  while (n - pos >= 2 && state_ != State::Closed) {
    auto b0 = static_cast<unsigned char>(data[pos]);
    auto b1 = static_cast<unsigned char>(data[pos + 1]);
    bool fin = (b0 & 0x80u) != 0;
    unsigned opcode = b0 & 0x0Fu;
    if ((b0 & 0x70u) != 0) {
      protocolError("wsFrame", "reserved bits set (no extension was agreed)");
      return pos;
    }
    if ((b1 & 0x80u) != 0) {
      protocolError("wsFrame", "masked frame from the server");
      return pos;
    }
    std::size_t head = 2;
    std::uint64_t len = b1 & 0x7Fu;
    if (len == 126) {
      if (n - pos < 4) break;
      len = (static_cast<std::uint64_t>(static_cast<unsigned char>(data[pos + 2])) << 8) |
            static_cast<unsigned char>(data[pos + 3]);
      head = 4;
    } else if (len == 127) {
      if (n - pos < 10) break;
      len = 0;
      for (int i = 0; i < 8; ++i) len = (len << 8) | static_cast<unsigned char>(data[pos + 2 + i]);
      head = 10;
    }
    if (len > kMaxMessage) {
      protocolError("wsFrame", "frame larger than 16 MiB");
      return pos;
    }
    if (n - pos < head + len) break;
    if (!handleFrame(opcode, fin, data + pos + head, static_cast<std::size_t>(len))) return pos;
    pos += head + static_cast<std::size_t>(len);
  }
  return pos;
}

bool WsConnection::handleFrame(unsigned opcode, bool fin, const char* payload, std::size_t len) {
  switch (opcode) {
    case 0x1:  // text
      if (fragmenting_) {
        protocolError("wsFrame", "text frame inside a fragmented message");
        return false;
      }
      if (fin) {
        listener_.onWsText(std::string_view(payload, len));
      } else {
        fragmenting_ = true;
        fragment_.assign(payload, len);
      }
      return state_ != State::Closed;
    case 0x0:  // continuation
      if (!fragmenting_) {
        protocolError("wsFrame", "continuation without a first fragment");
        return false;
      }
      if (fragment_.size() + len > kMaxMessage) {
        protocolError("wsFrame", "message larger than 16 MiB");
        return false;
      }
      fragment_.append(payload, len);
      if (fin) {
        fragmenting_ = false;
        std::string whole = std::move(fragment_);
        fragment_.clear();
        listener_.onWsText(whole);
      }
      return state_ != State::Closed;
    case 0x2:  // binary: no Engine.IO 3 server sends any over this transport
      listener_.onWsError("wsBinary", "binary message", true);
      return state_ != State::Closed;
    case 0x8:  // close: answer it (unless we started it), then drop the socket
      if (!fin || len > 125 || len == 1) {
        protocolError("wsFrame", "malformed close frame");
        return false;
      }
      if (!closeSent_ && (state_ == State::Open)) {
        closeSent_ = true;
        appendMasked(out_, 0x8, std::string_view(payload, std::min<std::size_t>(len, 2)));
        flush();
      }
      closeSocket();
      return false;
    case 0x9:  // ping
      if (!fin || len > 125) {
        protocolError("wsFrame", "malformed ping");
        return false;
      }
      if (state_ == State::Open) {
        appendMasked(out_, 0xA, std::string_view(payload, len));
        flush();
      }
      return state_ != State::Closed;
    case 0xA:  // pong
      if (!fin || len > 125) {
        protocolError("wsFrame", "malformed pong");
        return false;
      }
      return true;
    default:
      protocolError("wsFrame", "unknown opcode " + std::to_string(opcode));
      return false;
  }
}

void WsConnection::protocolError(std::string_view kind, std::string_view detail) {
  if (state_ == State::Closed) return;
  listener_.onWsError(kind, detail, true);
  closeSocket();
}

void WsConnection::transportError(std::string_view kind, std::string_view detail) {
  if (state_ == State::Closed) return;
  listener_.onWsError(kind, detail, false);
}

void WsConnection::closeSocket() {
  if (state_ == State::Closed) return;
  state_ = State::Closed;
  error_code ec;
  socket_.close(ec);
  out_.clear();
  std::string().swap(out_);
  outPos_ = 0;
  // inbuf_ and partial_ may be what consume() is reading: the read handler frees them.
  fragmenting_ = false;
  listener_.onWsClosed();
}

}  // namespace loadgen
