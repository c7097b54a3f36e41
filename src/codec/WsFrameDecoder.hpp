#pragma once
// RFC 6455 frames from a client, parsed incrementally and without throwing: masked frames only,
// no extensions, fragmented messages reassembled, control frames handed out as they arrive.
// Payload bytes are unmasked in place, so feed() takes a mutable buffer. A frame whose header
// announces more than the message limit is refused before its payload is read.
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

namespace aerie {

class WsFrameDecoder {
 public:
  enum class Kind { Text, Binary, Ping, Pong, Close };
  enum class Status { Ok, ProtocolError, TooBig, BadUtf8 };

  struct Message {
    Kind kind;
    std::string_view payload;  // valid during the callback only
  };

  class Handler {
   public:
    virtual ~Handler() = default;
    // False stops parsing (e.g. after a close frame); the rest of the input is dropped.
    virtual bool onMessage(const Message& m) = 0;
  };

  explicit WsFrameDecoder(std::size_t maxMessageBytes) : maxMessageBytes_(maxMessageBytes) {}

  // Parses `data` (unmasked in place) and calls the handler for each complete message or control
  // frame, in order. Returns Ok, or the error that ended the stream; after an error, or after the
  // handler returned false, further calls do nothing and return the same status.
  Status feed(char* data, std::size_t size, Handler& handler);

  // The close code (RFC 6455 section 7.4.1) that answers an error status.
  static std::uint16_t closeCode(Status s);
  // Bytes held between calls: a partial frame and the fragments of an unfinished message.
  std::size_t bufferedBytes() const { return pending_.size() + fragments_.size(); }

 private:
  // Parses whole frames from buf[0, size); returns how many bytes were used.
  std::size_t parse(char* buf, std::size_t size, Handler& handler);
  bool deliver(Kind kind, std::string_view payload, Handler& handler);
  bool fail(Status s);

  const std::size_t maxMessageBytes_;
  Status status_ = Status::Ok;
  bool stopped_ = false;
  std::string pending_;    // an incomplete frame carried over to the next feed()
  std::string fragments_;  // the data of a fragmented message so far
  bool inFragmentedMessage_ = false;
  Kind fragmentedKind_ = Kind::Text;
};

}  // namespace aerie
