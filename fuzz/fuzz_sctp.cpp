// libFuzzer target: what a client sends inside DTLS for its data channels. The first input byte
// picks the parser:
//   0: a DCEP message (DcepMessage::parse);
//   1: a Skylink data-transfer MESSAGE for the SFU to pass on (DataRelayMessage::parse);
//   2: SCTP packets into a fresh server SctpAssociation;
//   3: SCTP packets into an association already up with an in-process client (kept from input
//      to input while it stays up: a handshake costs more than the rest): each packet's
//      common header gets the association's ports and verification tag, so that its chunks
//      reach the association (DATA, DCEP on stream 0, SACK, RE-CONFIG, ABORT...), and a DATA
//      chunk first in a packet gets the next TSN the server expects.
// The rest is packets, each behind a 2-byte length. Checksums are not checked (CRC32c offload),
// or nearly every input would stop there.
#include <usrsctp.h>

#include <cstddef>
#include <cstdint>
#include <cstring>
#include <deque>
#include <memory>
#include <span>
#include <string_view>
#include <vector>

#include "codec/DcepMessage.hpp"
#include "media/SctpAssociation.hpp"
#include "media/SctpStack.hpp"
#include "sfu/DataRelayMessage.hpp"

namespace {

using Bytes = std::vector<std::uint8_t>;

struct End : aerie::SctpAssociation::Listener {
  std::deque<Bytes> out;
  void onSctpSend(std::span<const std::uint8_t> p) override { out.emplace_back(p.begin(), p.end()); }
  void onSctpState(aerie::SctpAssociation::State) override {}
  void onChannelOpen(std::uint16_t, std::string_view) override {}
  void onChannelMessage(std::uint16_t, bool, std::span<const std::uint8_t>) override {}
  void onChannelClosed(std::uint16_t) override {}
};

const aerie::Limits kLimits;

std::uint32_t read32(const std::uint8_t* p) {
  return std::uint32_t{p[0]} << 24 | std::uint32_t{p[1]} << 16 | std::uint32_t{p[2]} << 8 | p[3];
}

// The cumulative TSN of the server's last SACK (chunk type 3 first in the packet), if any.
void noteSack(const std::deque<Bytes>& fromServer, std::uint32_t& cumulativeTsn) {
  for (const auto& p : fromServer) {
    if (p.size() >= 20 && p[12] == 3) cumulativeTsn = read32(p.data() + 16);
  }
}

void pump(aerie::SctpAssociation& client, End& clientEnd, aerie::SctpAssociation& server, End& serverEnd,
          Bytes* tag, std::uint32_t& cumulativeTsn) {
  for (int round = 0; round < 50 && (!clientEnd.out.empty() || !serverEnd.out.empty()); ++round) {
    auto toServer = std::move(clientEnd.out);
    clientEnd.out.clear();
    for (auto& p : toServer) {
      if (tag != nullptr && p.size() >= 12) tag->assign(p.begin() + 4, p.begin() + 8);
      server.receive(p);
    }
    noteSack(serverEnd.out, cumulativeTsn);
    auto toClient = std::move(serverEnd.out);
    serverEnd.out.clear();
    for (auto& p : toClient) client.receive(p);
  }
}

// A server association up with a client, and what the server's packets must carry.
struct Pair {
  End serverEnd, clientEnd;
  std::unique_ptr<aerie::SctpAssociation> server, client;
  Bytes tag;
  std::uint32_t cumulativeTsn = 0;

  bool up() const { return server && server->state() == aerie::SctpAssociation::State::Connected; }
  void connect() {
    server.reset();
    client.reset();
    serverEnd.out.clear();
    clientEnd.out.clear();
    tag.clear();
    server = std::make_unique<aerie::SctpAssociation>(kLimits, serverEnd);
    client = std::make_unique<aerie::SctpAssociation>(kLimits, clientEnd);
    server->start();
    client->start();
    pump(*client, clientEnd, *server, serverEnd, &tag, cumulativeTsn);
    client->openChannel(0, "main");
    pump(*client, clientEnd, *server, serverEnd, nullptr, cumulativeTsn);
  }
};

// Packets of `rest` into `server`; with `pair`, addressed to its association.
void feed(aerie::SctpAssociation& server, End& serverEnd, std::span<const std::uint8_t> rest, Pair* pair) {
  while (rest.size() >= 2) {
    const std::size_t length = std::min<std::size_t>(rest.size() - 2, rest[0] << 8 | rest[1]);
    Bytes packet(rest.begin() + 2, rest.begin() + 2 + static_cast<std::ptrdiff_t>(length));
    rest = rest.subspan(2 + length);
    if (pair != nullptr && packet.size() >= 12 && pair->tag.size() == 4) {
      packet[0] = 0x13;  // source and destination port 5000
      packet[1] = 0x88;
      packet[2] = 0x13;
      packet[3] = 0x88;
      std::memcpy(packet.data() + 4, pair->tag.data(), 4);
      if (packet.size() >= 28 && packet[12] == 0) {
        const std::uint32_t tsn = ++pair->cumulativeTsn;
        const std::uint8_t be[4] = {static_cast<std::uint8_t>(tsn >> 24), static_cast<std::uint8_t>(tsn >> 16),
                                    static_cast<std::uint8_t>(tsn >> 8), static_cast<std::uint8_t>(tsn)};
        std::memcpy(packet.data() + 16, be, 4);
      }
    }
    server.receive(packet);
    if (pair != nullptr) noteSack(serverEnd.out, pair->cumulativeTsn);
    serverEnd.out.clear();
  }
  server.tick();
  serverEnd.out.clear();
}

}  // namespace

extern "C" int LLVMFuzzerInitialize(int*, char***) {
  aerie::SctpStack::instance();
  usrsctp_enable_crc32c_offload();
  return 0;
}

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  if (size < 1) return 0;
  const std::uint8_t mode = data[0] % 4;
  std::span<const std::uint8_t> rest(data + 1, size - 1);
  if (mode == 0) {
    (void)aerie::DcepMessage::parse(rest);
    return 0;
  }
  if (mode == 1) {
    (void)aerie::DataRelayMessage::parse(std::string_view(reinterpret_cast<const char*>(rest.data()), rest.size()),
                                         "sender", kLimits.maxJsonDepth);
    return 0;
  }
  if (mode == 2) {
    End end;
    aerie::SctpAssociation fresh(kLimits, end);
    fresh.start();
    feed(fresh, end, rest, nullptr);
    return 0;
  }
  static Pair pair;
  if (!pair.up()) pair.connect();
  feed(*pair.server, pair.serverEnd, rest, &pair);
  return 0;
}
