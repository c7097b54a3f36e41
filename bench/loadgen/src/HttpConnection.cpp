#include "HttpConnection.hpp"

#include "HeaderText.hpp"
#include "SourceSocket.hpp"

#include <boost/asio/connect.hpp>
#include <boost/asio/write.hpp>

#include <algorithm>
#include <cctype>
#include <charconv>

namespace loadgen {

namespace asio = boost::asio;
using boost::system::error_code;

namespace {

constexpr std::size_t kMaxResponse = 1 << 20;

// Decodes a chunked body starting at `body`; nullopt-like: returns false while incomplete.
// `bad` is set on malformed input. `consumed` counts the bytes of the whole chunked body.
bool dechunk(std::string_view body, std::string& out, std::size_t& consumed, bool& bad) {
  std::size_t pos = 0;
  out.clear();
  for (;;) {
    auto eol = body.find("\r\n", pos);
    if (eol == std::string_view::npos) return false;
    std::string_view sizeText = body.substr(pos, eol - pos);
    if (auto semi = sizeText.find(';'); semi != std::string_view::npos) sizeText = sizeText.substr(0, semi);
    sizeText = trim(sizeText);
    std::size_t size = 0;
    auto [end, ec] = std::from_chars(sizeText.data(), sizeText.data() + sizeText.size(), size, 16);
    if (ec != std::errc{} || end != sizeText.data() + sizeText.size()) {
      bad = true;
      return false;
    }
    pos = eol + 2;
    if (size == 0) {
      // Trailers (none expected) end with an empty line.
      auto endAll = body.find("\r\n", pos);
      if (endAll == std::string_view::npos) return false;
      while (endAll != pos) {
        pos = endAll + 2;
        endAll = body.find("\r\n", pos);
        if (endAll == std::string_view::npos) return false;
      }
      consumed = endAll + 2;
      return true;
    }
    if (body.size() < pos + size + 2) return false;
    out.append(body.substr(pos, size));
    pos += size + 2;
  }
}

}  // namespace

HttpConnection::HttpConnection(asio::io_context& io, asio::ip::address_v4 source, const LoopbackUrl& server)
    : socket_(io), source_(source), server_(server.address, server.port) {}

void HttpConnection::send(std::string request, Done done) {
  done_ = std::move(done);
  out_ = std::move(request);
  in_.clear();
  gotBytes_ = false;
  if (state_ == State::Idle) {
    reused_ = true;
    state_ = State::Busy;
    write();
    return;
  }
  reused_ = false;
  state_ = State::Connecting;
  error_code ec;
  openFrom(socket_, source_, ec);
  if (ec) return fail("API connect: " + ec.message());
  socket_.async_connect(server_, [self = shared_from_this()](error_code ec) {
    if (self->state_ != State::Connecting) return;
    if (ec) return self->fail("API connect: " + ec.message());
    self->socket_.set_option(asio::ip::tcp::no_delay(true), ec);
    self->state_ = State::Busy;
    self->write();
  });
}

void HttpConnection::write() {
  asio::async_write(socket_, asio::buffer(out_), [self = shared_from_this()](error_code ec, std::size_t) {
    if (self->state_ != State::Busy) return;
    if (ec) return self->fail("API write: " + ec.message());
    self->read();
  });
}

void HttpConnection::read() {
  std::size_t old = in_.size();
  in_.resize(old + 4096);
  socket_.async_read_some(asio::buffer(in_.data() + old, 4096), [self = shared_from_this(), old](error_code ec, std::size_t n) {
    self->in_.resize(old + n);
    if (self->state_ != State::Busy) return;
    if (n > 0) self->gotBytes_ = true;
    if (ec == asio::error::eof && self->tryParse(true)) return;
    if (ec) return self->fail(ec == asio::error::eof ? "API: connection closed before a full response" : "API read: " + ec.message());
    if (self->tryParse(false)) return;
    if (self->state_ != State::Busy) return;
    if (self->in_.size() > kMaxResponse) return self->fail("API: response too large");
    self->read();
  });
}

bool HttpConnection::tryParse(bool eof) {
  auto headEnd = in_.find("\r\n\r\n");
  if (headEnd == std::string::npos) return false;
  std::string_view head(in_.data(), headEnd);
  // HTTP/1.1 200 OK
  auto sp = head.find(' ');
  int status = 0;
  if (sp == std::string_view::npos || !head.starts_with("HTTP/1.")) {
    fail("API: not an HTTP response");
    return true;
  }
  std::from_chars(head.data() + sp + 1, head.data() + std::min(head.size(), sp + 4), status);
  bool chunked = false;
  bool keepAlive = head.starts_with("HTTP/1.1");
  std::size_t length = 0;
  bool hasLength = false;
  std::size_t lineStart = head.find("\r\n");
  while (lineStart != std::string_view::npos && lineStart < head.size()) {
    lineStart += 2;
    auto lineEnd = head.find("\r\n", lineStart);
    std::string_view line = head.substr(lineStart, lineEnd == std::string_view::npos ? head.npos : lineEnd - lineStart);
    auto colon = line.find(':');
    if (colon != std::string_view::npos) {
      std::string_view name = trim(line.substr(0, colon));
      std::string_view value = trim(line.substr(colon + 1));
      if (iequals(name, "content-length")) {
        hasLength = std::from_chars(value.data(), value.data() + value.size(), length).ec == std::errc{};
      } else if (iequals(name, "transfer-encoding")) {
        chunked = value.find("chunked") != std::string_view::npos;
      } else if (iequals(name, "connection")) {
        if (iequals(value, "close")) keepAlive = false;
        if (iequals(value, "keep-alive")) keepAlive = true;
      }
    }
    lineStart = lineEnd;
  }
  std::size_t bodyStart = headEnd + 4;
  std::string body;
  if (chunked) {
    std::size_t consumed = 0;
    bool bad = false;
    if (!dechunk(std::string_view(in_).substr(bodyStart), body, consumed, bad)) {
      if (bad) {
        fail("API: bad chunked body");
        return true;
      }
      return false;
    }
    in_.erase(0, bodyStart + consumed);
  } else if (hasLength) {
    if (in_.size() < bodyStart + length) return false;
    body = in_.substr(bodyStart, length);
    in_.erase(0, bodyStart + length);
  } else {
    // Body until the server closes: complete at EOF only.
    if (!eof) return false;
    body = in_.substr(bodyStart);
    in_.clear();
    keepAlive = false;
  }
  finish(status, std::move(body), keepAlive);
  return true;
}

void HttpConnection::fail(const std::string& why) {
  bool retryable = reused_ && !gotBytes_;
  close();
  Done d = std::move(done_);
  done_ = nullptr;
  if (d) d(why, retryable, 0, {});
}

void HttpConnection::finish(int status, std::string body, bool keepAlive) {
  if (keepAlive) {
    state_ = State::Idle;
  } else {
    close();
  }
  Done d = std::move(done_);
  done_ = nullptr;
  if (d) d({}, false, status, std::move(body));
}

void HttpConnection::close() {
  state_ = State::Closed;
  error_code ec;
  socket_.close(ec);
}

}  // namespace loadgen
