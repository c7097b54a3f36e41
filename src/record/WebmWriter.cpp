#include "record/WebmWriter.hpp"

#include <algorithm>
#include <bit>
#include <cerrno>
#include <cstring>
#include <fcntl.h>
#include <unistd.h>

#include "record/FileSyncer.hpp"

namespace aerie {
namespace {

// Element IDs (Matroska / WebM).
constexpr std::uint32_t kEbml = 0x1A45DFA3, kEbmlVersion = 0x4286, kEbmlReadVersion = 0x42F7,
                        kEbmlMaxIdLength = 0x42F2, kEbmlMaxSizeLength = 0x42F3, kDocType = 0x4282,
                        kDocTypeVersion = 0x4287, kDocTypeReadVersion = 0x4285;
constexpr std::uint32_t kSegment = 0x18538067, kInfo = 0x1549A966, kTimestampScale = 0x2AD7B1,
                        kMuxingApp = 0x4D80, kWritingApp = 0x5741, kDuration = 0x4489;
constexpr std::uint32_t kTracks = 0x1654AE6B, kTrackEntry = 0xAE, kTrackNumber = 0xD7, kTrackUid = 0x73C5,
                        kTrackType = 0x83, kFlagLacing = 0x9C, kCodecId = 0x86, kCodecPrivate = 0x63A2,
                        kCodecDelay = 0x56AA, kSeekPreRoll = 0x56BB, kVideo = 0xE0, kPixelWidth = 0xB0,
                        kPixelHeight = 0xBA, kAudio = 0xE1, kSamplingFrequency = 0xB5, kChannels = 0x9F;
constexpr std::uint32_t kCluster = 0x1F43B675, kTimestamp = 0xE7, kSimpleBlock = 0xA3, kVoid = 0xEC;
// An 8-byte size field meaning "unknown" (the Segment while it is written).
constexpr std::uint64_t kUnknownSize = 0x00FFFFFFFFFFFFFFull;
constexpr std::size_t kDurationElementBytes = 11;  // ID (2), size (1), float64 (8)

class Ebml {
 public:
  explicit Ebml(std::vector<std::uint8_t>& out) : out_(out) {}
  void id(std::uint32_t id) {
    const int bytes = id > 0xFFFFFF ? 4 : id > 0xFFFF ? 3 : id > 0xFF ? 2 : 1;
    for (int i = bytes - 1; i >= 0; --i) out_.push_back(static_cast<std::uint8_t>(id >> (8 * i)));
  }
  // A size as the shortest EBML variable-length integer (all ones is reserved: one more byte).
  void size(std::uint64_t n) {
    int bytes = 1;
    while (bytes < 8 && n >= (1ull << (7 * bytes)) - 1) ++bytes;
    sizeOf(n, bytes);
  }
  void sizeOf(std::uint64_t n, int bytes) {
    n |= 1ull << (7 * bytes);
    for (int i = bytes - 1; i >= 0; --i) out_.push_back(static_cast<std::uint8_t>(n >> (8 * i)));
  }
  void uint(std::uint32_t id, std::uint64_t v) {
    int bytes = 1;
    while (bytes < 8 && (v >> (8 * bytes)) != 0) ++bytes;
    this->id(id);
    size(static_cast<std::uint64_t>(bytes));
    for (int i = bytes - 1; i >= 0; --i) out_.push_back(static_cast<std::uint8_t>(v >> (8 * i)));
  }
  void real(std::uint32_t id, double v) {
    this->id(id);
    size(8);
    const auto bits = std::bit_cast<std::uint64_t>(v);
    for (int i = 7; i >= 0; --i) out_.push_back(static_cast<std::uint8_t>(bits >> (8 * i)));
  }
  void bytes(std::uint32_t id, std::span<const std::uint8_t> b) {
    this->id(id);
    size(b.size());
    out_.insert(out_.end(), b.begin(), b.end());
  }
  void text(std::uint32_t id, std::string_view s) {
    bytes(id, std::span(reinterpret_cast<const std::uint8_t*>(s.data()), s.size()));
  }
  // A master element: its children are written by `body` into a buffer of their own.
  template <class F>
  void master(std::uint32_t id, F&& body) {
    std::vector<std::uint8_t> inner;
    Ebml child(inner);
    body(child);
    bytes(id, inner);
  }

 private:
  std::vector<std::uint8_t>& out_;
};

// RFC 7845 section 5.1: the identification header, as Matroska's A_OPUS CodecPrivate.
std::vector<std::uint8_t> opusHead(std::uint8_t channels, std::uint32_t sampleRate) {
  std::vector<std::uint8_t> h = {'O', 'p', 'u', 's', 'H', 'e', 'a', 'd', 1, channels, 0, 0};
  for (int i = 0; i < 4; ++i) h.push_back(static_cast<std::uint8_t>(sampleRate >> (8 * i)));
  h.insert(h.end(), {0, 0, 0});  // output gain 0, channel mapping family 0
  return h;
}

}  // namespace

WebmWriter::~WebmWriter() {
  if (fd_ >= 0) close();
}

bool WebmWriter::writeAll(std::span<const std::uint8_t> bytes) {
  while (!bytes.empty()) {
    const ssize_t n = ::write(fd_, bytes.data(), bytes.size());
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) {
      failed_ = true;
      return false;
    }
    written_ += static_cast<std::uint64_t>(n);
    bytes = bytes.subspan(static_cast<std::size_t>(n));
  }
  return true;
}

bool WebmWriter::open(const std::string& path, const Tracks& tracks) {
  if (fd_ >= 0) return false;
  fd_ = ::open(path.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0644);
  path_ = path;
  failed_ = fd_ < 0;
  if (failed_) return false;
  written_ = 0;
  clusterOpen_ = false;
  lastMs_ = 0;
  hasVideo_ = tracks.video;
  cluster_.reserve(256 * 1024);

  std::vector<std::uint8_t> head;
  Ebml e(head);
  e.master(kEbml, [](Ebml& x) {
    x.uint(kEbmlVersion, 1);
    x.uint(kEbmlReadVersion, 1);
    x.uint(kEbmlMaxIdLength, 4);
    x.uint(kEbmlMaxSizeLength, 8);
    x.text(kDocType, "webm");
    x.uint(kDocTypeVersion, 4);
    x.uint(kDocTypeReadVersion, 2);
  });
  e.id(kSegment);
  segmentSizeAt_ = head.size();
  e.sizeOf(kUnknownSize, 8);
  segmentDataStart_ = head.size();
  // Info: milliseconds, and room for the Duration that close() writes.
  std::vector<std::uint8_t> info;
  Ebml i(info);
  i.uint(kTimestampScale, 1000000);
  i.text(kMuxingApp, "aerie");
  i.text(kWritingApp, "aerie");
  const std::size_t voidAt = info.size();
  i.id(kVoid);
  i.size(kDurationElementBytes - 2);
  info.resize(info.size() + kDurationElementBytes - 2, 0);
  e.id(kInfo);
  e.size(info.size());
  durationAt_ = head.size() + voidAt;
  head.insert(head.end(), info.begin(), info.end());
  e.master(kTracks, [&](Ebml& t) {
    if (tracks.video) {
      t.master(kTrackEntry, [&](Ebml& v) {
        v.uint(kTrackNumber, kVideoTrack);
        v.uint(kTrackUid, kVideoTrack);
        v.uint(kTrackType, 1);
        v.uint(kFlagLacing, 0);
        v.text(kCodecId, "V_VP8");
        v.master(kVideo, [&](Ebml& s) {
          s.uint(kPixelWidth, tracks.width);
          s.uint(kPixelHeight, tracks.height);
        });
      });
    }
    if (tracks.audio) {
      t.master(kTrackEntry, [&](Ebml& a) {
        a.uint(kTrackNumber, kAudioTrack);
        a.uint(kTrackUid, kAudioTrack);
        a.uint(kTrackType, 2);
        a.uint(kFlagLacing, 0);
        a.text(kCodecId, "A_OPUS");
        a.bytes(kCodecPrivate, opusHead(tracks.channels, tracks.sampleRate));
        a.uint(kCodecDelay, 0);
        a.uint(kSeekPreRoll, 80000000);  // 80 ms, in ns (RFC 7845 section 4.6)
        a.master(kAudio, [&](Ebml& s) {
          s.real(kSamplingFrequency, tracks.sampleRate);
          s.uint(kChannels, tracks.channels);
        });
      });
    }
  });
  return writeAll(head);
}

void WebmWriter::startCluster(std::int64_t ms) {
  cluster_.clear();
  Ebml e(cluster_);
  e.id(kCluster);
  e.sizeOf(0, 8);  // filled in by flush()
  e.uint(kTimestamp, static_cast<std::uint64_t>(ms));
  clusterOpen_ = true;
  clusterMs_ = ms;
}

bool WebmWriter::write(std::uint64_t track, std::int64_t ms, bool keyframe,
                       std::span<const std::uint8_t> frame) {
  if (fd_ < 0 || failed_) return false;
  ms = std::max<std::int64_t>(ms, 0);
  // A new cluster after a second of media, at a video key frame (where players like to start),
  // or when the 16-bit relative time would overflow.
  const bool keyStart = keyframe && track == kVideoTrack && ms > clusterMs_;
  if (clusterOpen_ && (ms - clusterMs_ >= kClusterMs || keyStart || ms - clusterMs_ > 32767)) {
    if (!flush()) return false;
  }
  if (!clusterOpen_) startCluster(ms);
  const auto relative = static_cast<std::int16_t>(std::max<std::int64_t>(ms - clusterMs_, 0));
  Ebml e(cluster_);
  e.id(kSimpleBlock);
  e.size(frame.size() + 4);
  cluster_.push_back(static_cast<std::uint8_t>(0x80 | track));  // track number, a 1-byte vint
  cluster_.push_back(static_cast<std::uint8_t>(static_cast<std::uint16_t>(relative) >> 8));
  cluster_.push_back(static_cast<std::uint8_t>(relative));
  // Every Opus frame can start decoding; a VP8 frame only if it is a key frame.
  cluster_.push_back(keyframe || track == kAudioTrack ? 0x80 : 0x00);
  cluster_.insert(cluster_.end(), frame.begin(), frame.end());
  lastMs_ = std::max(lastMs_, clusterMs_ + relative);
  return true;
}

bool WebmWriter::flush() {
  if (fd_ < 0 || failed_) return false;
  if (!clusterOpen_) return true;
  clusterOpen_ = false;
  const std::uint64_t size = cluster_.size() - 12;  // after the 4-byte ID and 8-byte size
  std::uint64_t field = size | (1ull << 56);
  for (int i = 0; i < 8; ++i) cluster_[4 + i] = static_cast<std::uint8_t>(field >> (8 * (7 - i)));
  return writeAll(cluster_);
}

bool WebmWriter::close(std::int64_t lastFrameMs, FileSyncer* syncer) {
  if (fd_ < 0) return false;
  bool ok = flush();
  if (ok) {
    std::vector<std::uint8_t> patch;
    Ebml e(patch);
    e.real(kDuration, static_cast<double>(lastMs_ + lastFrameMs));
    ok = ::pwrite(fd_, patch.data(), patch.size(), static_cast<off_t>(durationAt_)) == static_cast<ssize_t>(patch.size());
    patch.clear();
    e.sizeOf(written_ - segmentDataStart_, 8);
    ok = ok && ::pwrite(fd_, patch.data(), patch.size(), static_cast<off_t>(segmentSizeAt_)) == static_cast<ssize_t>(patch.size());
    ok = ok && (syncer != nullptr || ::fdatasync(fd_) == 0);
  }
  if (syncer != nullptr) {
    syncer->hand(fd_, path_);
  } else {
    ::close(fd_);
  }
  fd_ = -1;
  failed_ = failed_ || !ok;
  return ok;
}

}  // namespace aerie
